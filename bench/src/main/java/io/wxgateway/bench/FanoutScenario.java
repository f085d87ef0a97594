package io.wxgateway.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * fanout: the bench plays the backend and writes records to the outbound topic, addressed to one
 * connection, to a user (every socket of that user) or to everyone; the gateway delivers them to the
 * bench's sockets. Measured: delivered messages/s (and per core) and delivery latency (record written
 * to message received). Baseline: a bare Vert.x WebSocket server in this JVM, with as many event loops
 * as the gateway, writing the same messages to the same number of sockets with no Kafka, bridge or
 * event bus in between: the most this machine's WebSocket stack delivers.
 *
 * <p>Closed loop by default: a fixed number of records in flight (so that about 2,000 deliveries are
 * outstanding), the next record written when every delivery of one arrived. {@code --rate} switches to
 * an open loop of records/s.
 */
final class FanoutScenario {

  private final BenchOptions o;
  private StageProfile stages;
  /** Tells the gateway phases' losses apart (dead-lettered or vanished); null when it cannot be read. */
  private DeadLetterWatch deadLetters;

  FanoutScenario(BenchOptions o) {
    this.o = o;
  }

  Report run() throws Exception {
    Report report = new Report(o.crossNode() ? "fanout-cross-node" : "fanout", o);
    int n = o.integer("connections");
    int spu = Math.max(1, o.integer("sockets-per-user"));
    boolean baseline = !o.flag("no-baseline");
    FdLimit.require((o.string("target").isBlank() ? 2L : 1L) * n * (baseline ? 2 : 1), n + " sockets (twice with the baseline)");
    Payloads payloads = new Payloads(o.integer("payload-bytes"));
    try (Environment env = Environment.start(o, true, true)) {
      stages = env.stages;
      CpuMeter cpu = new CpuMeter(name -> name.contains("| wx-bench-fanout"));
      URI first = env.endpoints.get(0);
      List<String> sources = WsLoad.sourceAddresses(o.integer("source-addresses"), first);
      KafkaOptions kafka = env.runtimes.isEmpty() ? env.kafka : env.echoRuntime().kafkaOptions();
      deadLetters = env.deadLetters(kafka);
      Vertx bareVertx = null;
      try (WsLoad ws = new WsLoad(env.clients, o.integer("client-threads"), sources, payloads, false,
          o.integer("client-receive-buffer"));
           KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
               new HashMap<String, Object>(kafka.producerConfig("wx-bench-fanout")))) {
        cpu.addLoadThreads(ws.threads);
        Bench.progress(o, String.format(Locale.ROOT, "opening %,d sockets (%d per user) to %s", n, spu, env.endpoints));
        WsLoad.ConnectStats cs = ws.connect(env.endpoints, n, o.integer("concurrency"),
            i -> RelayScenario.uri(env, i, "u" + (i / spu)));
        if (cs.failed() > 0) {
          throw new IllegalStateException(cs.failed() + " of " + n + " sockets failed to open: " + cs.firstError());
        }
        String[] connectionIds = o.list("by").contains("connection") ? ConnectionIdProbe.learn(o, env, kafka, ws) : null;
        FanoutPusher gateway = FanoutPusher.gateway(producer, kafka, connectionIds, n, spu);
        BareServer bare = null;
        WsLoad bareClients = null;
        if (baseline) {
          bareVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2 * CpuMeter.cores()));
          bare = new BareServer();
          int port = bare.start(bareVertx, 2 * CpuMeter.cores(), 0).await();
          bareClients = new WsLoad(env.clients, o.integer("client-threads"), sources, payloads, false,
          o.integer("client-receive-buffer"));
          cpu.addLoadThreads(bareClients.threads);
          Bench.progress(o, String.format(Locale.ROOT, "opening %,d sockets to the bare Vert.x server (baseline)", n));
          WsLoad.ConnectStats bs = bareClients.connect(List.of(URI.create("ws://127.0.0.1:" + port + "/ws")), n,
              o.integer("concurrency"), i -> "/ws");
          if (bs.failed() > 0) {
            throw new IllegalStateException(bs.failed() + " sockets failed to open to the bare server: " + bs.firstError());
          }
          awaitSockets(bare, n);
        }
        FanoutPusher barePusher = bare == null ? null : FanoutPusher.bare(bare, spu);
        long warmup = RelayScenario.seconds(o.decimal("warmup"));
        for (String mode : o.list("by")) {
          if (!List.of("connection", "user", "broadcast").contains(mode)) {
            throw new IllegalArgumentException("--by takes connection, user and broadcast, not " + mode);
          }
          int fanOut = mode.equals("connection") ? 1 : mode.equals("user") ? spu : n;
          int window = o.isSet("window") ? o.integer("window") : Math.max(1, 2000 / fanOut);
          for (int round = 0; round < Math.max(1, o.integer("repeat")); round++) {
            List<Runnable> order = new ArrayList<>();
            String gwLabel = "fanout by " + mode + " (gateway)";
            String bareLabel = "fanout by " + mode + " (bare Vert.x)";
            WsLoad bc = bareClients;
            boolean warm = round == 0 && warmup > 0;
            order.add(() -> report.add(phase(gwLabel, mode, ws, gateway, n, spu, window, warm ? warmup : 0, cpu, payloads)));
            if (barePusher != null) {
              order.add(() -> report.add(phase(bareLabel, mode, bc, barePusher, n, spu, window, warm ? warmup : 0, cpu,
                  payloads)));
            }
            if (round % 2 == 1) {
              java.util.Collections.reverse(order);
            }
            order.forEach(Runnable::run);
          }
          compare(report, mode, n, spu, barePusher != null);
        }
        report.json.put("sockets", n).put("socketsPerUser", spu)
            .put("socketsClosedByServer", ws.closedByServer.get());
        if (ws.closedByServer.get() > 0) {
          report.note("the gateway closed " + ws.closedByServer.get() + " sockets, last: " + ws.lastClose.get());
        }
        ws.closeAll(5_000);
        if (bareClients != null) {
          bareClients.closeAll(5_000);
          bareClients.close();
        }
      } finally {
        if (bareVertx != null) {
          bareVertx.close().await();
        }
      }
    }
    return report;
  }

  private void compare(Report report, String mode, int n, int spu, boolean baseline) {
    String gw = "fanout by " + mode + " (gateway)";
    String bare = "fanout by " + mode + " (bare Vert.x)";
    double value = report.median(gw, p -> p.throughput) / CpuMeter.cores();
    double base = baseline ? report.median(bare, p -> p.throughput) / CpuMeter.cores() : Double.NaN;
    String note = String.format(Locale.ROOT, "%,d sockets%s; the machine's cores are shared with Kafka, the bridge and "
        + "the load generator", n, mode.equals("user") ? ", " + spu + " per user" : "");
    double used = report.median(gw, FanoutScenario::perServerCore);
    double usedBase = baseline ? report.median(bare, FanoutScenario::perServerCore) : Double.NaN;
    if (baseline) {
      report.compare("fanout by " + mode + ": delivered msg/s per core", value, base, true, "msg/s/core", ">= 50,000",
          value >= 50_000, note);
      report.compare("fanout by " + mode + ": delivered msg/s per core used by the server side", used, usedBase, true,
          "msg/s/core", ">= 50,000", used >= 50_000, "process CPU minus the load generator's threads, in cores");
      report.compare("fanout by " + mode + ": p99 delivery latency", report.median(gw, p -> p.p(99)),
          report.median(bare, p -> p.p(99)), false, "ms", null, null, null);
    } else {
      report.target("fanout by " + mode + ": delivered msg/s per core", value, "msg/s/core", ">= 50,000",
          value >= 50_000, note);
    }
  }

  /**
   * Delivered msg/s per core the server side used: the load generator decodes every delivery on the
   * same cores, so its threads' CPU is taken out of the process's.
   */
  static double perServerCore(PhaseResult p) {
    return p.throughput / Math.max(0.01, (p.cpu.process() - p.cpu.loadGenerator()) * CpuMeter.cores());
  }

  /** One measured fanout phase (closed loop over records unless --rate). */
  private PhaseResult phase(String label, String mode, WsLoad ws, FanoutPusher pusher, int n, int spu, int window,
      long warmup, CpuMeter cpu, Payloads payloads) {
    long duration = RelayScenario.seconds(o.decimal("duration"));
    long settle = warmup > 0 ? warmup : Math.min(2_000_000_000L, duration / 5);
    double rate = o.decimal("rate");
    Phase phase = new Phase(label, rate > 0 ? "open" : "closed", settle, duration, rate);
    FanoutTracker fan = new FanoutTracker(phase, mode, pusher, n, spu, rate > 0 ? 0 : window, payloads);
    DeadLetterWatch dead = label.endsWith("(gateway)") ? deadLetters : null; // the bare server dead-letters nothing
    if (dead != null) {
      dead.sink(fan);
    }
    ws.handler(fan);
    Bench.progress(o, String.format(Locale.ROOT, "%s: %.0f s (%s)", label, (settle + duration) / 1e9,
        rate > 0 ? String.format(Locale.ROOT, "%.0f records/s", rate) : window + " records in flight"));
    try {
      if (rate > 0) {
        Pacer.start(wsVertx(ws), List.of(ws.contexts.get(0)), List.of(new int[] {0}), rate, phase, fan);
      } else {
        long now = Clock.nanos();
        for (int i = 0; i < window; i++) {
          fan.send(0, now);
        }
      }
      phase.runThrough(cpu);
      phase.drain(RelayScenario.seconds(o.decimal("drain")));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (dead != null && !dead.catchUp(10_000)) {
      Bench.progress(o, "  the dead-letter topic was not read to its end within 10 s");
    }
    PhaseResult r = phase.result();
    if (dead != null) {
      fan.splitLost(r);
      dead.sink(null);
    }
    if (stages != null && label.endsWith("(gateway)")) {
      stages.attach(phase, r, cpu); // the bare server's phases run no pipeline
    }
    r.extra.put("deliveriesPerRecord", mode.equals("broadcast") ? n : mode.equals("user") ? spu : 1)
        .put("recordsInFlight", window).put("deliveredPerCore", PhaseResult.round(r.throughput / CpuMeter.cores()))
        .put("recordsCompleted", fan.completed.get());
    if (o.crossNode() && label.endsWith("(gateway)")) {
      // the cross-node layouts side by side (--nodes 2, 3; --bridges 2) show how delivery scales per node
      r.extra.put("deliveredPerGatewayNode", PhaseResult.round(r.throughput / o.integer("nodes")));
    }
    Bench.progress(o, String.format(Locale.ROOT, "  %,.0f delivered/s (%,.0f per core), p50 %.2f ms, p99 %.2f ms, %s",
        r.throughput, r.throughput / CpuMeter.cores(), r.p(50), r.p(99), r.lossSummary()
        + (r.extra.getLong("duplicateDeliveries", 0L) > 0 ? ", duplicates " + r.extra.getLong("duplicateDeliveries") : "")
        + fetches(r)));
    return r;
  }

  /** The bridges' fetches (more bridges: more and smaller fetches at the same rate), when counted. */
  private static String fetches(PhaseResult r) {
    JsonObject f = r.extra.getJsonObject("bridgeFetches");
    return f == null ? "" : String.format(Locale.ROOT, ", bridges fetched %,.0f times/s, %.0f records each",
        f.getDouble("perSecond"), f.getDouble("recordsPerFetch"));
  }

  private static Vertx wsVertx(WsLoad ws) {
    return ws.contexts.get(0).owner();
  }

  private static void awaitSockets(BareServer bare, int n) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (bare.sockets.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
