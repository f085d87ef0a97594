package io.wxgateway.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.process.ChildJvm;

/**
 * A gateway-only node of a {@link TestCluster} in a child JVM, so that a test can freeze it with
 * SIGSTOP (as a long GC pause or a frozen VM would) and wake it with SIGCONT. A thread polls its
 * {@code /health/ready} every 100 ms and keeps each change of answer: the readiness timeline.
 */
final class ChildGateway implements AutoCloseable {

  /** A change of the readiness answer: the HTTP status, or -1 when the node did not answer within a second. */
  record Readiness(long atMs, int status) {
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String nodeId;
  private final Process process;
  private final int gatewayPort;
  private final int managementPort;
  private final List<Readiness> timeline = new CopyOnWriteArrayList<>();
  private volatile boolean watching = true;

  private ChildGateway(String nodeId, Process process, int gatewayPort, int managementPort) {
    this.nodeId = nodeId;
    this.process = process;
    this.gatewayPort = gatewayPort;
    this.managementPort = managementPort;
    Thread watcher = new Thread(this::watch, "readiness-" + nodeId);
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Starts the node, with {@code extra} settings over the cluster's, and waits until it runs. */
  static ChildGateway start(TestCluster cluster, String nodeId, int hazelcastPortIndex, Map<String, String> extra)
      throws Exception {
    return start(cluster, nodeId, hazelcastPortIndex, extra, Map.of());
  }

  /** The same with JVM system properties (Hazelcast reads its properties from them too). */
  static ChildGateway start(TestCluster cluster, String nodeId, int hazelcastPortIndex, Map<String, String> extra,
      Map<String, String> systemProperties) throws Exception {
    Map<String, String> properties = new HashMap<>(systemProperties);
    properties.put("hazelcast.wait.seconds.before.join", "0");
    Map<String, String> env = new HashMap<>(cluster.env(nodeId, hazelcastPortIndex, "gateway"));
    int managementPort = TestEnv.freePort();
    env.put("WXGW_MANAGEMENT_PORT", Integer.toString(managementPort));
    env.putAll(extra);
    Process process = ChildJvm.of(ChildBridge.class).env(env)
        .systemProperties(properties)
        .log("cluster-child-" + nodeId + ".log")
        .start(ChildBridge.READY::equals);
    return new ChildGateway(nodeId, process, Integer.parseInt(env.get("WXGW_GATEWAY_PORT")), managementPort);
  }

  String nodeId() {
    return nodeId;
  }

  int gatewayPort() {
    return gatewayPort;
  }

  /** SIGSTOP: every thread of the JVM stops, sockets and ports stay open. */
  void freeze() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT. */
  void wake() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** The readiness answers so far, each change once. */
  List<Readiness> timeline() {
    return List.copyOf(timeline);
  }

  /** The last answer of {@code /health/ready}. */
  int readiness() {
    return timeline.isEmpty() ? -1 : timeline.get(timeline.size() - 1).status();
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  private void watch() {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
        .timeout(Duration.ofSeconds(1)).build();
    while (watching) {
      int status;
      try {
        status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        status = -1;
      } catch (InterruptedException e) {
        return;
      }
      if (timeline.isEmpty() || timeline.get(timeline.size() - 1).status() != status) {
        timeline.add(new Readiness(System.currentTimeMillis(), status));
      }
      try {
        Thread.sleep(100); // the polling period of the probe, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    watching = false;
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
