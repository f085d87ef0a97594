package io.wxgateway.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * connections: open {@code --connections} idle sockets as fast as possible ({@code --concurrency}
 * handshakes in flight) and report handshakes/s and heap per socket after GC.
 *
 * <p>The gateway runs in a child JVM (the same jars as the distribution, every role, the shipped
 * defaults apart from the run's topics and ports) so that its heap holds nothing of the load generator.
 * Heap per socket = (heap after a forced full GC with the sockets open - the same before they opened) /
 * sockets, read with {@code jcmd GC.run} and {@code jcmd GC.heap_info}. A warm-up batch of sockets is
 * opened and closed first, so that one-time allocations (classes, pools, caches) are in the "before".
 * The baseline is a bare Vert.x WebSocket server in a child JVM of its own, measured the same way.
 * With {@code --gateway in-process} only handshakes/s are meaningful (the heap is shared).
 */
final class ConnectionsScenario {

  private final BenchOptions o;

  ConnectionsScenario(BenchOptions o) {
    this.o = o;
  }

  Report run() throws Exception {
    Report report = new Report("connections", o);
    int n = o.integer("connections");
    boolean child = o.string("target").isBlank() && !"in-process".equals(o.string("gateway"));
    if (child && !o.string("gateway").isBlank() && !"child".equals(o.string("gateway"))) {
      throw new IllegalArgumentException("--gateway is in-process or child");
    }
    FdLimit.require(child || !o.string("target").isBlank() ? n : 2L * n, n + " sockets");
    boolean inProcess = o.string("target").isBlank() && !child;
    try (Environment env = Environment.start(o, inProcess, false)) {
      CpuMeter cpu = new CpuMeter(name -> false);
      Path logs = Files.createTempDirectory("wx-bench-children-");
      List<Server> servers = new ArrayList<>();
      try {
        if (child) {
          int port = Environment.freePort();
          int mport = Environment.freePort();
          env.createTopics(env.kafka.getInboundTopic(), env.kafka.getOutboundTopic(), env.kafka.getDeadLetterTopic());
          Bench.progress(o, "starting the gateway" + (o.flag("no-baseline") ? "" : " and the bare Vert.x WebSocket server "
              + "(baseline)") + " in child JVMs (-Xmx" + o.string("child-heap") + ", logs in " + logs + ")");
          if (o.list("servers").contains("gateway")) {
            ChildServer gw = ChildServer.gateway(o.string("dist"), o.string("child-heap"), o.string("child-jvm-opts"),
                childEnv(env, port, mport), port, mport, logs);
            servers.add(new Server("gateway", URI.create("ws://127.0.0.1:" + port + "/ws"), gw));
          }
          if (!o.flag("no-baseline") && o.list("servers").contains("bare")) {
            int bport = Environment.freePort();
            servers.add(new Server("bare Vert.x", URI.create("ws://127.0.0.1:" + bport + "/ws"),
                ChildServer.bare(o.string("child-heap"), o.string("child-jvm-opts"), bport, logs)));
          }
          for (Server s : servers) {
            s.jvm.awaitReady(java.time.Duration.ofSeconds(120));
          }
        } else {
          servers.add(new Server(inProcess ? "gateway (in-process)" : "gateway (external)", env.endpoints.get(0), null));
        }
        for (int round = 0; round < Math.max(1, o.integer("repeat")); round++) {
          List<Server> order = new ArrayList<>(servers);
          if (round % 2 == 1) {
            java.util.Collections.reverse(order);
          }
          for (Server s : order) {
            report.add(measure(env, s, n, cpu));
          }
        }
      } finally {
        for (Server s : servers) {
          if (s.jvm != null) {
            s.jvm.close();
          }
        }
        if (!o.flag("keep-data")) {
          Environment.deleteRecursively(logs);
        }
      }
      compare(report, servers, n);
    }
    return report;
  }

  /** The child gateway's settings: the run's Kafka and topics, its ports; the shipped defaults otherwise. */
  private java.util.Map<String, String> childEnv(Environment env, int port, int mport) {
    java.util.Map<String, String> e = RuntimeSettings.of(env, "bench-gw-child", "gateway,bridge", false, port, mport);
    e.put("WXGW_GATEWAY_NODE_ID", "bench-gw-child");
    e.putIfAbsent("WXGW_LOG_LEVEL", "INFO");
    return e;
  }

  private record Server(String name, URI endpoint, ChildServer jvm) {
  }

  private PhaseResult measure(Environment env, Server s, int n, CpuMeter cpu) throws Exception {
    List<String> sources = WsLoad.sourceAddresses(o.integer("source-addresses"), s.endpoint);
    String path = s.endpoint.getRawPath();
    try (WsLoad ws = new WsLoad(env.clients, o.integer("client-threads"), sources, new Payloads(16), false)) {
      cpu.addLoadThreads(ws.threads);
      // Warm-up: open and close batches for --warmup seconds (at least once), so that the JIT has compiled
      // the handshake path and one-time allocations are in the "before".
      int warm = Math.min(2_000, Math.max(1, n / 5));
      long warmUntil = System.nanoTime() + RelayScenario.seconds(o.decimal("warmup"));
      do {
        WsLoad.ConnectStats w = ws.connect(List.of(s.endpoint), warm, o.integer("concurrency"), i -> path);
        if (w.failed() > 0) {
          throw new IllegalStateException(s.name + ": warm-up sockets failed: " + w.firstError());
        }
        ws.closeAll(10_000);
      } while (System.nanoTime() < warmUntil);
      Thread.sleep(1_000);
      java.util.Map<String, long[]> histBefore = s.jvm == null ? null : s.jvm.classHistogram();
      long before = heap(s);
      long beforeMetrics = s.jvm == null ? -1 : s.jvm.heapFromMetrics();
      Bench.progress(o, String.format(Locale.ROOT, "%s: opening %,d sockets, %d handshakes in flight, from %s", s.name, n,
          o.integer("concurrency"), sources.isEmpty() ? "the default address" : sources));
      CpuMeter.Snapshot c0 = cpu.snapshot();
      long server0 = s.jvm == null ? -1 : s.jvm.cpuNanos();
      WsLoad.ConnectStats cs = ws.connect(List.of(s.endpoint), n, o.integer("concurrency"), i -> path);
      long server1 = s.jvm == null ? -1 : s.jvm.cpuNanos();
      CpuMeter.Snapshot c1 = cpu.snapshot();
      Thread.sleep(2_000); // open events reach Kafka, handshake timers are cancelled
      long after = heap(s);
      long afterMetrics = s.jvm == null ? -1 : s.jvm.heapFromMetrics();
      java.util.Map<String, long[]> histAfter = s.jvm == null ? null : s.jvm.classHistogram();
      PhaseResult r = new PhaseResult(s.name + " connections", "connect", 0, cs.elapsedNanos() / 1e9, n, cs.opened(),
          cs.failed(), cs.firstError(), cs.perSecond(), cs.handshakeMicros(), cs.handshakeMicros(), CpuMeter.between(c0, c1));
      double perSocket = cs.opened() == 0 || before < 0 ? Double.NaN : (after - before) / (double) cs.opened();
      if (server0 >= 0 && server1 >= 0 && cs.elapsedNanos() > 0) {
        double serverCores = (server1 - server0) / (double) cs.elapsedNanos();
        r.extra.put("serverCpuCores", PhaseResult.round(serverCores))
            .put("handshakesPerServerCoreSecond", PhaseResult.round(cs.opened() / ((server1 - server0) / 1e9)));
      }
      r.extra.put("sockets", cs.opened()).put("handshakesPerSecond", PhaseResult.round(cs.perSecond()))
          .put("heapBeforeBytes", before).put("heapAfterBytes", after);
      Report.putNumber(r.extra, "heapPerSocketBytes", perSocket);
      if (beforeMetrics >= 0 && afterMetrics >= 0) {
        r.extra.put("heapPerSocketBytesFromMetrics", PhaseResult.round((afterMetrics - beforeMetrics) / (double) cs.opened()));
      }
      if (histBefore != null && histAfter != null && cs.opened() > 0) {
        r.extra.put("heapPerSocketByClass", perSocketByClass(histBefore, histAfter, cs.opened(), 150));
      }
      r.extra.put("heapMethod", s.jvm != null ? "child JVM: jcmd GC.run (twice), then GC.heap_info 'used'"
          : "in-process: MemoryMXBean after System.gc(), shared with the load generator and Kafka (approximate)");
      Bench.progress(o, String.format(Locale.ROOT, "  %,d sockets in %.2f s: %,.0f handshakes/s, p99 handshake %.1f ms, "
              + "heap %,d -> %,d bytes: %,.0f bytes per socket, load generator CPU %.0f%%", cs.opened(),
          cs.elapsedNanos() / 1e9, cs.perSecond(), r.p(99), before, after, perSocket, r.cpu.loadGenerator() * 100));
      ws.closeAll(30_000);
      Thread.sleep(1_000);
      return r;
    }
  }

  /** What each socket holds, by class: (bytes after - bytes before) / sockets, largest first. */
  static JsonObject perSocketByClass(java.util.Map<String, long[]> before, java.util.Map<String, long[]> after,
      int sockets, int top) {
    JsonObject out = new JsonObject();
    after.entrySet().stream()
        .map(e -> java.util.Map.entry(e.getKey(), new double[] {
            (e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]) / (double) sockets,
            (e.getValue()[0] - before.getOrDefault(e.getKey(), new long[2])[0]) / (double) sockets}))
        .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(top)
        .forEach(e -> out.put(e.getKey(), new JsonObject().put("bytes", PhaseResult.round(e.getValue()[0]))
            .put("instances", PhaseResult.round(e.getValue()[1]))));
    return out;
  }

  private long heap(Server s) throws Exception {
    if (s.jvm != null) {
      return s.jvm.heapAfterGc();
    }
    if (!o.string("target").isBlank()) {
      return -1;
    }
    System.gc();
    Thread.sleep(200);
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void compare(Report report, List<Server> servers, int n) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("--servers names none of gateway, bare");
    }
    String gw = servers.get(0).name + " connections";
    double rate = report.median(gw, p -> p.throughput);
    double heap = report.median(gw, p -> p.extra.getDouble("heapPerSocketBytes", Double.NaN));
    boolean base = servers.size() > 1;
    String bare = base ? servers.get(1).name + " connections" : null;
    String fdNote = String.format(Locale.ROOT, "%,d sockets; the target is at 100,000: this process's descriptor limit is %,d",
        n, FdLimit.max());
    if (base) {
      report.compare("handshakes/s on one node", rate, report.median(bare, p -> p.throughput), true, "handshakes/s",
          ">= 10,000", rate >= 10_000, "the load generator's own handshakes share the same cores");
      report.compare("heap per idle socket after GC", heap,
          report.median(bare, p -> p.extra.getDouble("heapPerSocketBytes", Double.NaN)), true, "bytes", "<= 8,192",
          heap <= 8192, fdNote);
    } else {
      report.target("handshakes/s on one node", rate, "handshakes/s", ">= 10,000", rate >= 10_000, null);
      if (!Double.isNaN(heap)) {
        report.target("heap per idle socket after GC", heap, "bytes", "<= 8,192", heap <= 8192, fdNote);
      }
    }
    JsonArray per = new JsonArray();
    for (Server s : servers) {
      per.add(new JsonObject().put("server", s.name).put("endpoint", s.endpoint.toString()));
    }
    report.json.put("servers", per);
  }
}
