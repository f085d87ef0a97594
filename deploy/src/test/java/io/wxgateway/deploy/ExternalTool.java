package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real tool of the operating system that a test drives (promtool, prometheus, kcat), found on
 * the PATH. CI installs them ({@code .ci/run}); on a developer machine without the Debian package
 * the tests that need one are skipped with the package to install, under CI they fail instead, so
 * a missing install step cannot pass unnoticed.
 */
final class ExternalTool {

  /** What a finished run of a tool printed, and how it ended. */
  record Run(int exitCode, String output) {
  }

  private final Path executable;

  private ExternalTool(Path executable) {
    this.executable = executable;
  }

  /** The tool, or the test is skipped (failed under CI) naming the Debian package that brings it. */
  static ExternalTool require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return new ExternalTool(candidate);
      }
    }
    String why = name + " is not installed: apt-get install " + debianPackage + " (.ci/run installs it)";
    if (System.getenv("CI") != null) {
      fail(why);
    }
    abort(why);
    throw new AssertionError("unreachable");
  }

  /** Runs the tool to its end (at most {@code timeoutSeconds}), in {@code dir}, output and errors together. */
  Run run(Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    return pipe("", dir, timeoutSeconds, args);
  }

  /** {@link #run}, with {@code input} on the tool's standard input. */
  Run pipe(String input, Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    Path output = Files.createTempFile(dir, executable.getFileName().toString(), ".out");
    Process process = start(dir, output, args);
    try (var stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(executable.getFileName() + " did not finish within " + timeoutSeconds + " s: "
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  /** Starts the tool in the background; its output goes to {@code log}. The caller stops it. */
  Process start(Path dir, Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
  }
}
