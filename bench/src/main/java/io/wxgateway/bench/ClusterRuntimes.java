package io.wxgateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.deploy.EmbeddedRuntimes;
import io.wxgateway.deploy.WxRuntime;

/**
 * The cross-node layout: gateway-only nodes and bridge-only nodes (each running the demo echo),
 * clustered over Hazelcast on 127.0.0.1 in this JVM, so that every delivery crosses the event bus.
 */
final class ClusterRuntimes {

  /** Hazelcast's join and merge waits, shortened: every member is local and listed. */
  private static final Map<String, String> HAZELCAST = Map.of(
      "hazelcast.wait.seconds.before.join", "0",
      "hazelcast.merge.first.run.delay.seconds", "5",
      "hazelcast.merge.next.run.delay.seconds", "5");

  private ClusterRuntimes() {
  }

  /** Starts {@code gateways} gateway nodes, then {@code bridges} bridge nodes, and adds them to {@code env}. */
  static void start(Environment env, int gateways, int bridges) throws InterruptedException {
    Bench.progress(env.options, "starting " + gateways + " gateway nodes and " + (bridges == 1 ? "one bridge node"
        : bridges + " bridge nodes") + ", clustered over Hazelcast");
    List<Integer> hz = new ArrayList<>();
    for (int i = 0; i < gateways + bridges; i++) {
      hz.add(Environment.freePort());
    }
    String members = hz.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    for (int i = 0; i < gateways; i++) {
      Map<String, String> settings = RuntimeSettings.of(env, "bench-gw-" + (i + 1), "gateway", false,
          Environment.freePort(), null);
      cluster(env, settings, hz.get(i), members);
      env.add(EmbeddedRuntimes.start(settings, HAZELCAST), true);
    }
    List<WxRuntime> bridgeNodes = new ArrayList<>();
    for (int i = 0; i < bridges; i++) {
      Map<String, String> settings = RuntimeSettings.of(env, "bench-br-" + (i + 1), "bridge", true,
          Environment.freePort(), null);
      cluster(env, settings, hz.get(gateways + i), members);
      WxRuntime bridge = EmbeddedRuntimes.start(settings, HAZELCAST);
      env.add(bridge, false);
      bridgeNodes.add(bridge);
    }
    for (WxRuntime bridge : bridgeNodes) {
      waitForDirectory(bridge, gateways);
    }
  }

  private static void cluster(Environment e, Map<String, String> settings, int port, String members) {
    settings.put("WXGW_CLUSTER_NAME", "wx-bench-" + e.runId);
    settings.put("WXGW_CLUSTER_HOST", "127.0.0.1");
    settings.put("WXGW_CLUSTER_PORT", Integer.toString(port));
    settings.put("WXGW_CLUSTER_MEMBERS", members);
  }

  /** A bridge routes only to nodes it sees in the directory: wait until it sees all of them. */
  private static void waitForDirectory(WxRuntime bridge, int gateways) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      int seen = new NodeDirectory(bridge.vertx()).nodes().await().size();
      if (seen >= gateways) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the bridge node did not see " + gateways + " gateway nodes within 60 s");
  }
}
