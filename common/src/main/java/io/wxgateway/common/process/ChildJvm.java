package io.wxgateway.common.process;

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
 * A main class in a child JVM, with this JVM's class path (or a distribution's start script), so that
 * a test can send it SIGTERM or SIGKILL and the bench can measure a server whose heap holds nothing
 * else. Its output goes to a log file (default {@code target/<Main>-child.log}); a child still running
 * when this JVM exits is killed with it, so none is left holding its ports.
 *
 * <pre>{@code
 * Process child = ChildJvm.of(Launcher.class).env(env).log("my-child.log")
 *     .start(line -> line.startsWith("wx-gateway is running"));
 * }</pre>
 *
 * Shared by deploy's tests and the bench; in the main jar (not the test-jar) so that the bench's main
 * code compiles from a clean tree with {@code mvn compile}. The running gateway never uses it.
 */
public final class ChildJvm {

  private static final long READY_TIMEOUT_SECONDS = 90;

  private final String mainClass;
  private final String simpleName;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();
  // a test child is small and short-lived: a small heap and the C1 compiler only start it fastest
  private List<String> jvmOptions = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
  private Path launcher;
  private Path log;

  private ChildJvm(String mainClass) {
    this.mainClass = mainClass;
    this.simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    this.log = Path.of("target", simpleName + "-child.log");
  }

  public static ChildJvm of(Class<?> mainClass) {
    return new ChildJvm(mainClass.getName());
  }

  /** Replaces the default JVM options ({@code -Xmx256m -XX:TieredStopAtLevel=1}). */
  public ChildJvm jvmOptions(List<String> options) {
    jvmOptions = List.copyOf(options);
    return this;
  }

  public ChildJvm args(String... arguments) {
    args.addAll(List.of(arguments));
    return this;
  }

  public ChildJvm env(Map<String, String> variables) {
    env.putAll(variables);
    return this;
  }

  /** Passed as -Dname=value. */
  public ChildJvm systemProperties(Map<String, String> properties) {
    systemProperties.putAll(properties);
    return this;
  }

  /** The log file's name under target/. */
  public ChildJvm log(String fileName) {
    return logTo(Path.of("target", fileName));
  }

  public ChildJvm logTo(Path file) {
    log = file;
    return this;
  }

  /**
   * Runs a distribution's start script instead of {@code java}: the script finds its own class path
   * and main class, the JVM options go in {@code JAVA_OPTS} (system properties are not passed).
   */
  public ChildJvm launcher(Path script) {
    launcher = script;
    return this;
  }

  public Path logFile() {
    return log;
  }

  /** Starts the child with its output going straight to the log; returns at once. */
  public Process start() throws IOException {
    ProcessBuilder builder = builder().redirectOutput(log.toFile());
    return reapedAtExit(builder.start());
  }

  /** Starts the child and waits until a line of its output is {@code ready}; kills it if that takes too long. */
  public Process start(Predicate<String> ready) throws IOException, InterruptedException {
    return start(ready, false);
  }

  /**
   * {@link #start(Predicate)}, then stops reading the child's output once it is ready, and keeps the
   * pipe open: the child's stdout fills up as behind a log collector that stalled.
   */
  public Process startWithStalledOutput(Predicate<String> ready) throws IOException, InterruptedException {
    return start(ready, true);
  }

  private Process start(Predicate<String> ready, boolean stallWhenReady) throws IOException, InterruptedException {
    Process process = reapedAtExit(builder().start());
    CountDownLatch readyLine = new CountDownLatch(1);
    Thread pump = new Thread(() -> pump(process, ready, readyLine, stallWhenReady), simpleName + "-output");
    pump.setDaemon(true);
    pump.start();
    if (!readyLine.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(simpleName + " in a child JVM did not start; see " + log.toAbsolutePath());
    }
    return process;
  }

  /** The last {@code lines} lines of a child's log, for an error message. */
  public static String tail(Path log, int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** This JVM's own {@code bin/<tool>} (java, jcmd ...). */
  public static Path jdkTool(String tool) {
    return Path.of(System.getProperty("java.home"), "bin", tool);
  }

  private ProcessBuilder builder() {
    ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
    if (launcher != null) {
      builder.environment().put("JAVA_OPTS", String.join(" ", jvmOptions));
    }
    builder.environment().putAll(env);
    return builder;
  }

  private List<String> command() {
    if (launcher != null) {
      List<String> command = new ArrayList<>(List.of(launcher.toString()));
      command.addAll(args);
      return command;
    }
    List<String> command = new ArrayList<>(List.of(jdkTool("java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private static Process reapedAtExit(Process process) {
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "child-jvm-reaper"));
    return process;
  }

  /** Copies the child's output to the log, line by line, until the child is gone. */
  private void pump(Process process, Predicate<String> ready, CountDownLatch readyLine, boolean stallWhenReady) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer out = Files.newBufferedWriter(log)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(line + System.lineSeparator());
        out.flush();
        if (ready.test(line)) {
          readyLine.countDown();
          if (stallWhenReady) {
            process.waitFor(); // the pipe stays open and unread until the child is gone
            return;
          }
        }
      }
    } catch (IOException e) {
      // the child is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
