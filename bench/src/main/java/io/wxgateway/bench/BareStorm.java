package io.wxgateway.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The storm's baseline: the same sockets, dropped and reconnected the same way, against a bare
 * Vert.x WebSocket server ({@link BareServer}: no handshake checks, no Kafka, no registry), with as
 * many event loops as the gateway, in this JVM or in a child JVM where the gateway ran in one (with
 * the same {@code --child-jvm-opts}, less a flight recording). It times what the gateway's storm is
 * measured against: how soon every socket is open again when a socket costs what Vert.x alone makes it cost,
 * on the same cores, with the same load generator beside it.
 */
final class BareStorm {

  static final String RECONNECT = "storm reconnect (bare Vert.x)";

  private BareStorm() {
  }

  /**
   * Opens {@code n} sockets to a bare server, in this JVM or, when the gateway ran in a child JVM, in
   * a child JVM of its own, then runs {@code rounds} storms (one more first when warming up).
   */
  static List<PhaseResult> run(BenchOptions o, Environment env, CpuMeter cpu, Payloads payloads, int n,
      IntFunction<String> uris, int rounds) throws Exception {
    boolean child = "child".equals(o.string("gateway"));
    Vertx vertx = child ? null : Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2 * CpuMeter.cores()));
    Path logs = child ? Files.createTempDirectory("wx-bench-bare-") : null;
    ChildServer jvm = null;
    List<PhaseResult> results = new ArrayList<>();
    try {
      int port;
      if (child) {
        jvm = ChildServer.bare(o.string("child-heap"), o.string("child-jvm-opts"), Environment.freePort(), logs);
        jvm.awaitReady(Duration.ofSeconds(120));
        port = jvm.port;
      } else {
        port = new BareServer().start(vertx, 2 * CpuMeter.cores(), 0).await();
      }
      List<URI> endpoint = List.of(URI.create("ws://127.0.0.1:" + port + "/ws"));
      try (WsLoad ws = new WsLoad(env.clients, o.integer("client-threads"),
          WsLoad.sourceAddresses(o.integer("source-addresses"), endpoint.get(0)), payloads, false,
          o.integer("client-receive-buffer"))) {
        cpu.addLoadThreads(ws.threads);
        Bench.progress(o, String.format(Locale.ROOT, "opening %,d sockets to the bare Vert.x server (baseline)", n));
        WsLoad.ConnectStats cs = ws.connect(endpoint, n, o.integer("concurrency"), uris);
        if (cs.failed() > 0) {
          throw new IllegalStateException(cs.failed() + " sockets failed to open to the bare server: " + cs.firstError());
        }
        if (o.decimal("warmup") > 0) {
          round(o, ws, endpoint, cpu, n, uris, "storm warm-up (bare Vert.x)");
        }
        for (int i = 0; i < rounds; i++) {
          results.add(round(o, ws, endpoint, cpu, n, uris, RECONNECT));
        }
        ws.closeAll(5_000);
      }
    } finally {
      if (jvm != null) {
        jvm.close();
      }
      if (logs != null) {
        Environment.deleteRecursively(logs);
      }
      if (vertx != null) {
        vertx.close().await();
      }
    }
    return results;
  }

  private static PhaseResult round(BenchOptions o, WsLoad ws, List<URI> endpoint, CpuMeter cpu, int n,
      IntFunction<String> uris, String label) throws InterruptedException {
    List<WsLoad.Conn> old = ws.forgetAll();
    Bench.progress(o, String.format(Locale.ROOT, "%s: dropping %,d sockets at once, reconnecting them", label, n));
    CpuMeter.Snapshot cpuStart = cpu.snapshot();
    long drop = Clock.nanos();
    for (WsLoad.Conn c : old) {
      c.context.runOnContext(v -> StormRound.reset(c.ws));
    }
    WsLoad.ConnectStats cs = ws.connect(endpoint, n, o.integer("concurrency"), uris);
    long allOpen = Clock.nanos();
    double seconds = (allOpen - drop) / 1e9;
    String missed = cs.failed() > 0 ? cs.failed() + " reconnects failed: " + cs.firstError() : null;
    PhaseResult r = new PhaseResult(label, "storm", 0, seconds, n, cs.opened(), missed == null ? 0 : 1, missed,
        cs.opened() / seconds, cs.handshakeMicros(), cs.handshakeMicros(), CpuMeter.between(cpuStart, cpu.snapshot()));
    r.extra.put("sockets", n).put("concurrency", o.integer("concurrency")).put("allOpenSeconds", PhaseResult.round(seconds));
    Bench.progress(o, String.format(Locale.ROOT, "  all open %.2f s after the drop", seconds));
    return r;
  }
}
