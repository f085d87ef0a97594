package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.junit.jupiter.api.Test;

/**
 * Every scenario in its smoke configuration (seconds, a handful of sockets) against the shared test
 * broker, so the benchmark cannot rot: each run must complete, lose nothing, report no error, and
 * write a JSON report with every figure the README's table is built from. The figures themselves are
 * not asserted: a shared machine is too noisy for timed tests; the targets live in the report.
 */
class BenchSmokeTest {

  private static final Path OUT = Path.of("target", "smoke");

  private static JsonObject run(String scenario, String... options) throws Exception {
    Path json = OUT.resolve(scenario + "-" + System.nanoTime() + ".json");
    List<String> args = new ArrayList<>(List.of(scenario, "--bootstrap", KafkaTestBroker.bootstrapServers(),
        "--json", json.toString(), "--drain", "15", "--partitions", "2"));
    args.addAll(List.of(options));
    Bench.run(BenchOptions.parse(args.toArray(String[]::new)));
    assertTrue(Files.exists(json), "the JSON report is written");
    JsonObject report = new JsonObject(Files.readString(json));
    assertEquals(scenario, report.getString("scenario").replace("-cross-node", ""));
    assertTrue(report.getJsonObject("machine").getInteger("cores") > 0);
    assertTrue(report.getJsonObject("machine").getLong("fileDescriptorLimit") != 0);
    for (Object o : report.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      String label = run.getString("label");
      assertEquals(0L, run.getLong("errors"), label + ": " + run.getString("firstError"));
      assertEquals(0L, run.getLong("lost"), label + ": everything sent comes back");
      assertTrue(run.getLong("received") > 0, label + " received something");
      assertEquals(run.getLong("sent"), run.getLong("received"), label);
      JsonObject latency = run.getJsonObject("latencyMs");
      for (String p : List.of("p50", "p90", "p99", "p99.9", "max")) {
        assertTrue(latency.getDouble(p) > 0, label + " has " + p);
      }
      assertTrue(latency.getDouble("p50") <= latency.getDouble("p99"), label + ": percentiles are ordered");
      assertTrue(run.getDouble("throughput") > 0, label);
      assertTrue(run.getJsonObject("cpu").getDouble("process") >= 0, label);
    }
    return report;
  }

  private static Set<String> labels(JsonObject report) {
    Set<String> out = new java.util.HashSet<>();
    report.getJsonArray("rows").forEach(r -> out.add(((JsonObject) r).getString("label")));
    return out;
  }

  private static JsonObject comparison(JsonObject report, String prefix) {
    for (Object o : report.getJsonArray("comparisons")) {
      JsonObject c = (JsonObject) o;
      if (c.getString("name").startsWith(prefix)) {
        return c;
      }
    }
    throw new AssertionError("no comparison '" + prefix + "' in " + report.getJsonArray("comparisons"));
  }

  @Test
  void relayBesideKafkaBaselineClosedThenOpenLoop() throws Exception {
    JsonObject report = run("relay", "--connections", "10", "--window", "2", "--duration", "1.5", "--warmup", "1",
        "--source-addresses", "2");
    assertEquals(Set.of("kafka-baseline max (closed, window 2)", "relay max (closed, window 2)"),
        labels(report).stream().filter(l -> l.contains("max")).collect(java.util.stream.Collectors.toSet()));
    assertEquals(2, labels(report).stream().filter(l -> l.contains(" open @ ")).count(), "both open loops ran");
    JsonObject ratio = comparison(report, "relay / kafka-baseline max throughput");
    assertTrue(ratio.getDouble("ratio") > 0);
    assertTrue(ratio.containsKey("met"));
    JsonObject p99 = comparison(report, "relay p99 - kafka-baseline p99");
    assertTrue(p99.containsKey("difference"));
    assertEquals(0L, report.getLong("socketsClosedByServer"), "no socket was closed by the gateway");
    for (Object o : report.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      JsonObject stages = run.getJsonObject("extra", new JsonObject()).getJsonObject("cpuByStage");
      assertTrue(stages != null && stages.getLong("samples") > 0, run.getString("label") + " has CPU by stage");
      assertEquals(Set.copyOf(Stages.ALL), stages.getJsonObject("microsPerMessage").fieldNames());
      // the relay's losses are told apart (dead-lettered or vanished); the baseline has no bridge
      assertEquals(run.getString("label").startsWith("relay"), run.containsKey("deadLetters"), run.getString("label"));
    }
  }

  @Test
  void fanoutByConnectionUserAndBroadcastBesideBareVertx() throws Exception {
    JsonObject report = run("fanout", "--connections", "10", "--duration", "1.5", "--warmup", "1");
    for (String by : List.of("connection", "user", "broadcast")) {
      assertTrue(labels(report).contains("fanout by " + by + " (gateway)"), by);
      assertTrue(labels(report).contains("fanout by " + by + " (bare Vert.x)"), by);
      JsonObject c = comparison(report, "fanout by " + by + ": delivered msg/s per core");
      assertTrue(c.getDouble("value") > 0 && c.getDouble("baseline") > 0, by);
    }
    for (Object o : report.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      if (run.getString("label").contains("broadcast")) {
        assertEquals(10, run.getJsonObject("extra").getInteger("deliveriesPerRecord"));
      }
      // the pipeline's CPU by stage, for the gateway's runs (the bare server has no pipeline)
      assertEquals(run.getString("label").endsWith("(gateway)"),
          run.getJsonObject("extra").containsKey("cpuByStage"), run.getString("label"));
      // and the dead-letter topic read beside them: nothing dead-lettered, nothing vanished
      if (run.getString("label").endsWith("(gateway)")) {
        JsonObject dead = run.getJsonObject("deadLetters");
        assertTrue(dead != null && dead.getJsonObject("byReason").isEmpty(), run.getString("label") + ": " + dead);
        assertEquals(0L, dead.getLong("vanished"), run.getString("label"));
      }
    }
  }

  @Test
  void connectionsMeasuresHandshakesAndHeapPerSocketInChildJvms() throws Exception {
    JsonObject report = run("connections", "--connections", "300", "--concurrency", "100", "--child-heap", "256m",
        "--warmup", "0");
    assertEquals(Set.of("gateway connections", "bare Vert.x connections"), labels(report));
    for (Object o : report.getJsonArray("runs")) {
      JsonObject extra = ((JsonObject) o).getJsonObject("extra");
      assertEquals(300, extra.getInteger("sockets"));
      assertTrue(extra.getLong("heapAfterBytes") > 0);
      assertTrue(extra.containsKey("heapPerSocketBytes"), "heap per socket is reported");
      assertFalse(extra.getJsonObject("heapPerSocketByClass").isEmpty(), "and what holds it, by class");
    }
    assertTrue(comparison(report, "handshakes/s on one node").getDouble("value") > 0);
    assertTrue(comparison(report, "heap per idle socket after GC").containsKey("baseline"));
  }

  @Test
  void soakReportsHeapAfterGcAndP99EveryInterval() throws Exception {
    JsonObject report = run("soak", "--connections", "10", "--rate", "200", "--duration", "2.5", "--interval", "1",
        "--warmup", "1");
    JsonArray intervals = report.getJsonArray("intervals");
    assertTrue(intervals.size() >= 2, "one row per interval: " + intervals);
    for (Object o : intervals) {
      JsonObject i = (JsonObject) o;
      assertTrue(i.getJsonObject("latencyMs").getDouble("p99") > 0, i.encode());
      assertTrue(i.getDouble("throughput") > 0, i.encode());
      assertTrue(i.containsKey("heapAfterGcMinBytes"));
    }
    assertTrue(comparison(report, "soak: heap after GC").containsKey("met"));
    assertTrue(comparison(report, "soak: p99").containsKey("met"));
  }

  @Test
  void crossNodeRelayThroughTwoGatewayNodesAndOneBridgeNode() throws Exception {
    JsonObject report = run("relay", "--nodes", "2", "--connections", "10", "--window", "2", "--duration", "1.5",
        "--warmup", "1", "--no-baseline", "--closed-only");
    assertEquals("relay-cross-node", report.getString("scenario"));
    assertEquals(Set.of("relay max (closed, window 2)"), labels(report));
  }

  @Test
  void crossNodeFanoutThroughThreeGatewayNodesAndTwoBridgeNodes() throws Exception {
    JsonObject report = run("fanout", "--nodes", "3", "--bridges", "2", "--connections", "12", "--by",
        "user,broadcast", "--duration", "1.5", "--warmup", "1", "--no-baseline");
    assertEquals("fanout-cross-node", report.getString("scenario"));
    assertEquals(new JsonObject().put("gatewayNodes", 3).put("bridgeNodes", 2), report.getJsonObject("layout"));
    assertEquals(Set.of("fanout by user (gateway)", "fanout by broadcast (gateway)"), labels(report));
    for (Object o : report.getJsonArray("runs")) {
      JsonObject extra = ((JsonObject) o).getJsonObject("extra");
      assertTrue(extra.getDouble("deliveredPerGatewayNode") > 0);
      JsonObject fetches = extra.getJsonObject("bridgeFetches"); // the two bridges' consumers, from their meters
      assertTrue(fetches.getDouble("perSecond") > 0 && fetches.getDouble("recordsPerFetch") > 0, fetches::encode);
    }
  }

  @Test
  void fanoutScalingComparesTwoNodesWithOneInTheSameRun() throws Exception {
    JsonObject report = run("fanout-scaling", "--connections", "10", "--by", "user", "--duration", "1.5", "--warmup",
        "1", "--repeat", "2");
    assertEquals(new JsonObject().put("gatewayNodes", 2).put("bridgeNodes", 1), report.getJsonObject("layout"));
    assertEquals(Set.of("fanout by user, 1 node (gateway)", "fanout by user, 1 node (bare Vert.x)",
        "fanout by user, 2 gw + 1 br (gateway)", "fanout by user, 2 gw + 1 br (bare Vert.x)"), labels(report));
    for (Object o : report.getJsonArray("rows")) {
      assertEquals(2, ((JsonObject) o).getInteger("rounds"), ((JsonObject) o).getString("label"));
    }
    JsonObject ratio = comparison(report, "cross-node / one node, fanout by user: delivered msg/s");
    assertEquals(">= 0.8", ratio.getString("target"));
    assertTrue(ratio.getDouble("value") > 0, ratio.encode());
    JsonObject user = report.getJsonObject("scaling").getJsonObject("user");
    for (String figure : List.of("throughput", "perServerCore", "shareOfBare")) {
      assertEquals(2, user.getJsonArray(figure).size(), figure + ": one ratio per round");
    }
  }

  @Test
  void es256TokensAreCheckedWithTheRunsOwnKeyOnceAndRememberedWhenTheSocketsComeBack() throws Exception {
    JsonObject report = run("storm", "--connections", "20", "--warmup", "0", "--repeat", "1", "--token-algorithm", "ES256",
        "--no-baseline");
    assertEquals(Set.of("storm reconnect", "storm push to every reconnected socket"), labels(report));
    for (Object o : report.getJsonArray("runs")) {
      assertEquals(20L, ((JsonObject) o).getLong("received"), ((JsonObject) o).encode());
    }
    assertEquals(0L, report.getLong("socketsClosedByServer"));
    assertEquals(new JsonObject().put("checked", 20L).put("remembered", 20L), report.getJsonObject("tokens"),
        "each token checked when its socket first opened, remembered when it came back");
  }

  @Test
  void stormDropsEverySocketAtOnceAndTimesTheWayBack() throws Exception {
    JsonObject report = run("storm", "--connections", "40", "--warmup", "1", "--repeat", "2");
    assertEquals(Set.of("storm reconnect", "storm push to every reconnected socket", "storm reconnect (bare Vert.x)"),
        labels(report));
    int rounds = 0;
    int bareRounds = 0;
    for (Object o : report.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      if (run.getString("label").equals("storm reconnect")) {
        rounds++;
        assertEquals(40L, run.getLong("received"), "every socket reopened");
        JsonObject extra = run.getJsonObject("extra");
        double open = extra.getDouble("allOpenSeconds");
        assertTrue(open > 0, extra.encode());
        for (String later : List.of("openEventsSeconds", "presenceSettledSeconds", "pushesDeliveredSeconds")) {
          assertTrue(extra.getDouble(later) > 0, later + ": " + extra.encode());
        }
        // a push answers an open event, so it cannot arrive before the event was read
        assertTrue(extra.getDouble("pushesDeliveredSeconds") >= extra.getDouble("openEventsSeconds"), extra.encode());
      } else if (run.getString("label").equals("storm reconnect (bare Vert.x)")) {
        bareRounds++;
        assertEquals(40L, run.getLong("received"), "every socket reopened to the bare server");
        assertTrue(run.getJsonObject("extra").getDouble("allOpenSeconds") > 0, run.encode());
      } else {
        assertEquals(40L, run.getLong("received"), "a push reached every reconnected socket");
      }
    }
    assertEquals(2, rounds, "the warm-up storm is not reported, both rounds are");
    assertEquals(2, bareRounds, "the baseline storms as many times");
    assertTrue(comparison(report, "storm of 40: every socket open again, gateway / bare Vert.x").getDouble("ratio") > 0);
    assertTrue(comparison(report, "storm of 40: every socket open again").containsKey("met"));
    assertTrue(comparison(report, "storm of 40: a push delivered").containsKey("value"));
    assertEquals(0L, report.getLong("socketsClosedByServer"), "the gateway closed none of the new sockets");
  }

  @Test
  void resumeStormRecoversEverySessionWithEveryHeldPush() throws Exception {
    JsonObject report = run("resume-storm", "--connections", "20");
    assertEquals(Set.of("resume storm"), labels(report));
    JsonObject run = report.getJsonArray("runs").getJsonObject(0);
    assertEquals(200L, run.getLong("received"), "10 pushes for each of the 20 sessions, once each");
    JsonObject extra = run.getJsonObject("extra");
    assertEquals(20, extra.getInteger("resumed"), extra.encode());
    assertEquals(20, extra.getInteger("recovered"), extra.encode());
    assertEquals(0L, extra.getLong("pushesLost"), extra.encode());
    assertTrue(comparison(report, "heap per suspended session").containsKey("value"));
  }

  @Test
  void badOptionsFailFastWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BenchOptions.parse("relay", "--conections", "10"));
    assertTrue(e.getMessage().contains("--conections"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Bench.run(BenchOptions.parse("nosuch")));
    IllegalArgumentException fds = assertThrows(IllegalArgumentException.class,
        () -> FdLimit.require(Long.MAX_VALUE / 2, "too many sockets"));
    assertTrue(fds.getMessage().contains("ulimit -n"), fds.getMessage());
    assertFalse(BenchOptions.help().isBlank());
  }
}
