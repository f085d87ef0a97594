package io.wxgateway.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of this module in a child JVM, with the test classpath, so that a test can send it
 * SIGTERM or SIGKILL. Its output goes to a log file under target/; {@link #start} returns once the
 * child prints its ready line.
 *
 * <pre>{@code
 * Process child = ChildJvm.of(Launcher.class).env(env).log("my-child.log")
 *     .start(line -> line.startsWith("wx-gateway is running"));
 * }</pre>
 */
final class ChildJvm {

  private static final long READY_TIMEOUT_SECONDS = 90;

  private final Class<?> mainClass;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private Path log;

  private ChildJvm(Class<?> mainClass) {
    this.mainClass = mainClass;
    this.log = Path.of("target", mainClass.getSimpleName() + "-child.log");
  }

  static ChildJvm of(Class<?> mainClass) {
    return new ChildJvm(mainClass);
  }

  ChildJvm env(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  /** Passed as -Dname=value. */
  ChildJvm systemProperties(Map<String, String> properties) {
    systemProperties.putAll(properties);
    return this;
  }

  /** The log file's name under target/. */
  ChildJvm log(String fileName) {
    log = Path.of("target", fileName);
    return this;
  }

  /** Starts the child and waits until a line of its output is {@code ready}; kills it if that takes too long. */
  Process start(Predicate<String> ready) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    CountDownLatch readyLine = new CountDownLatch(1);
    Thread pump = new Thread(() -> pump(process, ready, readyLine), mainClass.getSimpleName() + "-output");
    pump.setDaemon(true);
    pump.start();
    if (!readyLine.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(mainClass.getSimpleName() + " in a child JVM did not start; see " + log.toAbsolutePath());
    }
    return process;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add(mainClass.getName());
    return command;
  }

  /** Copies the child's output to the log, line by line, until the child is gone. */
  private void pump(Process process, Predicate<String> ready, CountDownLatch readyLine) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer out = Files.newBufferedWriter(log)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line + System.lineSeparator());
        out.flush();
        if (ready.test(line)) {
          readyLine.countDown();
        }
      }
    } catch (IOException e) {
      // the child is gone
    }
  }
}
