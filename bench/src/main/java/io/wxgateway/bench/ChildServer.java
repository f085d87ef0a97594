package io.wxgateway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wxgateway.common.process.ChildJvm;
import io.wxgateway.deploy.Launcher;

/**
 * A server in a JVM of its own (the gateway from the bench's class path or from the built
 * distribution, or the bare baseline server), started by {@link ChildJvm}, so that its heap
 * holds nothing but the server: heap per socket is read from it after a forced full GC
 * ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}).
 */
final class ChildServer implements AutoCloseable {

  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
  private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

  final String name;
  final Process process;
  final Path log;
  final int port;
  final Integer managementPort;

  private ChildServer(String name, Process process, Path log, int port, Integer managementPort) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.port = port;
    this.managementPort = managementPort;
  }

  /**
   * Starts the gateway (every role, as the distribution runs by default), configured by {@code env};
   * {@link #awaitReady} waits until it is ready.
   */
  static ChildServer gateway(String dist, String heap, String extraOpts, Map<String, String> env, int port,
      int managementPort, Path logDir) throws IOException {
    List<String> jvmOpts = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
    jvmOpts.addAll(words(extraOpts));
    ChildJvm jvm = ChildJvm.of(Launcher.class).jvmOptions(jvmOpts).env(env)
        .logTo(logDir.resolve("gateway-" + port + ".log"));
    if (!dist.isBlank()) {
      jvm.launcher(Path.of(dist, "bin", "wx-gateway"));
    }
    return new ChildServer("gateway", jvm.start(), jvm.logFile(), port, managementPort);
  }

  /** Starts the bare Vert.x WebSocket server; {@link #awaitReady} waits until it listens. */
  static ChildServer bare(String heap, String extraOpts, int port, Path logDir) throws IOException {
    List<String> jvmOpts = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC"));
    // the recording is the gateway's: the baseline's would overwrite its file
    words(extraOpts).stream().filter(opt -> !opt.startsWith("-XX:StartFlightRecording")).forEach(jvmOpts::add);
    ChildJvm jvm = ChildJvm.of(BareServer.class).jvmOptions(jvmOpts).args(Integer.toString(port))
        .logTo(logDir.resolve("bare-" + port + ".log"));
    return new ChildServer("bare Vert.x", jvm.start(), jvm.logFile(), port, null);
  }

  private static List<String> words(String options) {
    return java.util.Arrays.stream(options.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }

  void awaitReady(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; its output:\n" + tail());
      }
      if (managementPort != null) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + managementPort + "/health/ready")).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not yet
        }
      } else if (accepts(port)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready within " + timeout + "; its output:\n" + tail());
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Forces two full GCs in the child and returns its heap in use afterwards, in bytes. */
  long heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(300);
    return heapAfterOneGc();
  }

  /** Forces one full GC in the child and returns its heap in use afterwards, in bytes. */
  long heapAfterOneGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the heap from jcmd GC.heap_info:\n" + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  /**
   * The live objects by class ({@code jcmd GC.class_histogram}, which collects first): class name to
   * {instances, bytes}.
   */
  Map<String, long[]> classHistogram() throws IOException, InterruptedException {
    Map<String, long[]> out = new java.util.HashMap<>();
    for (String line : jcmd("GC.class_histogram").split("\n")) {
      Matcher m = HISTOGRAM_LINE.matcher(line);
      if (m.find()) {
        out.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
    }
    return out;
  }

  /** {@code jvm_memory_used_bytes{area="heap"}} summed over the pools, from the gateway's /metrics; -1 if none. */
  long heapFromMetrics() {
    if (managementPort == null) {
      return -1;
    }
    try {
      // HTTP/1.1 as Prometheus scrapes, and bounded: a request lost on the way must not stall the run
      HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
              .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      double sum = 0;
      for (String line : r.body().split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return (long) sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** CPU time the child used so far (user + system, from /proc), in nanoseconds; -1 where there is no /proc. */
  long cpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime), counted from after the command name: 12 and 13
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // USER_HZ = 100
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = ChildJvm.jdkTool("jcmd");
    Path out = Files.createTempFile("wx-bench-jcmd-", ".txt");
    try {
      Process p = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(process.pid()), command)
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("jcmd " + command + " did not finish within 60 s: " + Files.readString(out)
            + "\n" + name + "'s output:\n" + tail());
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + command + " failed: " + Files.readString(out));
      }
      return Files.readString(out);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  String tail() {
    return ChildJvm.tail(log, 40);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
