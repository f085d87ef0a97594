package io.wxgateway.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script of this repository in a child process: {@link #npmCi} installs a package's
 * locked dependencies (once per test JVM, and only when they are missing or older than the lock
 * file), {@link #start} runs {@code node script args} and returns once a line of its output
 * contains the ready text. Output goes to a log under target/, which {@link #log} reads back.
 */
final class NodeProcess implements AutoCloseable {

  private static final long READY_TIMEOUT_SECONDS = 90;
  private static final Set<Path> INSTALLED = new HashSet<>();

  private final Process process;
  private final Path log;

  private NodeProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** {@code npm ci} in {@code packageDir} unless its node_modules already match package-lock.json. */
  static synchronized void npmCi(Path packageDir) throws IOException, InterruptedException {
    Path dir = packageDir.toAbsolutePath().normalize();
    Path installed = dir.resolve("node_modules/.package-lock.json");
    if (INSTALLED.contains(dir) || Files.exists(installed)
        && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json"))) >= 0) {
      INSTALLED.add(dir);
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(Path.of("target", "npm-ci-" + dir.getFileName() + ".log").toFile()).start();
    if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new AssertionError("npm ci failed in " + dir + "; see target/npm-ci-" + dir.getFileName() + ".log");
    }
    INSTALLED.add(dir);
  }

  /** Runs {@code node} with {@code args} in {@code dir}; waits for a line containing {@code readyText} (null: no wait). */
  static NodeProcess start(Path dir, List<String> args, Map<String, String> env, String logName, String readyText)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Path log = Path.of("target", logName);
    Process process = builder.start();
    CountDownLatch ready = new CountDownLatch(readyText == null ? 0 : 1);
    Thread pump = new Thread(() -> pump(process, log, readyText, ready), logName + "-output");
    pump.setDaemon(true);
    pump.start();
    if (!ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("node " + args + " did not start; see " + log.toAbsolutePath());
    }
    return new NodeProcess(process, log);
  }

  /** Waits for the script to exit on its own and returns its exit code; kills it after {@code seconds}. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("node did not finish within " + seconds + " s; see " + log.toAbsolutePath());
    }
    return process.exitValue();
  }

  /** What the script printed so far. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static void pump(Process process, Path log, String readyText, CountDownLatch ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer out = Files.newBufferedWriter(log)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line + System.lineSeparator());
        out.flush();
        if (readyText != null && line.contains(readyText)) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
  }
}
