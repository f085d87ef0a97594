package io.wxgateway.bench;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/**
 * soak: the relay in an open loop at a fixed rate ({@code --rate}, or {@code --fraction} of the maximum
 * measured first with a short closed loop) for {@code --duration} seconds, reporting every
 * {@code --interval} seconds the throughput, the latency percentiles of that interval and the heap in
 * use after the garbage collections of that interval (from the collectors' notifications, nothing
 * forced). Both must stay flat: the report gives the drift from the first to the last interval.
 *
 * <p>In-process, the heap is that of the whole bench JVM (gateway, bridge, echo, Kafka broker and
 * load generator): a leak anywhere shows; a flat line means none of them leaks at this rate.
 */
final class SoakScenario {

  private final BenchOptions o;

  SoakScenario(BenchOptions o) {
    this.o = o;
  }

  Report run() throws Exception {
    Report report = new Report("soak", o);
    int n = o.integer("connections");
    FdLimit.require(o.string("target").isBlank() ? 2L * n : n, n + " sockets");
    RelayScenario relay = new RelayScenario(o, true, false);
    try (Environment env = Environment.start(o, true, false); GcWatcher gc = new GcWatcher()) {
      CpuMeter cpu = new CpuMeter(name -> false);
      URI first = env.endpoints.get(0);
      List<String> sources = WsLoad.sourceAddresses(o.integer("source-addresses"), first);
      try (WsLoad ws = new WsLoad(env.clients, o.integer("client-threads"), sources,
          new Payloads(o.integer("payload-bytes")), o.flag("binary"), o.integer("client-receive-buffer"))) {
        cpu.addLoadThreads(ws.threads);
        Bench.progress(o, String.format(Locale.ROOT, "opening %,d sockets", n));
        WsLoad.ConnectStats cs = ws.connect(env.endpoints, n, o.integer("concurrency"), i -> RelayScenario.uri(env, i));
        if (cs.failed() > 0) {
          throw new IllegalStateException(cs.failed() + " sockets failed to open: " + cs.firstError());
        }
        int window = o.integer("window");
        long drain = RelayScenario.seconds(o.decimal("drain"));
        long warmup = RelayScenario.seconds(o.decimal("warmup"));
        if (warmup > 0) {
          relay.runPhase(ws.relay(), "relay warm-up", "closed", window, 0, warmup, drain, cpu);
        }
        double rate = o.decimal("rate");
        if (rate <= 0) {
          long probe = RelayScenario.seconds(Math.max(3, Math.min(30, o.decimal("duration") / 10)));
          PhaseResult max = relay.runPhase(ws.relay(), RelayScenario.maxLabel("relay", window), "closed", window, 0, probe,
              drain, cpu);
          report.add(max);
          rate = Math.max(1, Math.round(max.throughput * o.decimal("fraction")));
        }
        soak(report, env, ws, rate, gc, cpu);
        report.json.put("socketsClosedByServer", ws.closedByServer.get());
        ws.closeAll(5_000);
      }
    }
    return report;
  }

  private void soak(Report report, Environment env, WsLoad ws, double rate, GcWatcher gc, CpuMeter cpu)
      throws InterruptedException {
    long duration = RelayScenario.seconds(o.decimal("duration"));
    long interval = RelayScenario.seconds(Math.max(0.5, o.decimal("interval")));
    String label = String.format(Locale.ROOT, "soak relay open @ %.0f/s", rate);
    Phase phase = new Phase(label, "open", 0, duration, rate);
    Bench.progress(o, String.format(Locale.ROOT, "%s for %.0f s, reporting every %.0f s", label, duration / 1e9,
        interval / 1e9));
    gc.interval(); // start clean
    ws.relay().openLoop(phase, rate);
    phase.cpuStart(cpu.snapshot());
    JsonArray intervals = new JsonArray();
    CpuMeter.Snapshot lastCpu = cpu.snapshot();
    java.util.Map<String, Long> lastNet = NetStat.read();
    long next = phase.measureFrom + interval;
    long lastReceived = 0;
    long lastAt = phase.measureFrom;
    int index = 0;
    while (next <= phase.end + interval / 2) {
      Phase.sleepUntil(Math.min(next, phase.end));
      long now = Clock.nanos();
      Histogram h = phase.intervalLatency();
      GcWatcher.Interval g = gc.interval();
      CpuMeter.Snapshot c = cpu.snapshot();
      CpuMeter.Share share = CpuMeter.between(lastCpu, c);
      lastCpu = c;
      long childHeap = -1;
      if (env.child() != null) {
        try {
          childHeap = env.child().heapAfterOneGc();
        } catch (java.io.IOException e) {
          childHeap = -1;
        }
      }
      java.util.Map<String, Long> net = NetStat.read();
      java.util.Map<String, Long> netDelta = NetStat.delta(lastNet, net);
      lastNet = net;
      long received = phase.receivedTotal.sum();
      double tput = (received - lastReceived) / ((now - lastAt) / 1e9);
      lastReceived = received;
      lastAt = now;
      index++;
      JsonObject row = new JsonObject().put("interval", index).put("atSeconds", PhaseResult.round((now - phase.measureFrom) / 1e9))
          .put("throughput", PhaseResult.round(tput)).put("latencyMs", PhaseResult.percentiles(h))
          .put("heapAfterGcMinBytes", g.minAfterGc()).put("heapAfterGcLastBytes", g.lastAfterGc())
          .put("oldGenAfterGcBytes", g.oldAfterGc()).put("gcCount", g.collections()).put("gcPauseMs", g.pauseMs())
          .put("processCpu", PhaseResult.round(share.process())).put("loadGeneratorCpu", PhaseResult.round(share.loadGenerator()))
          .put("tcp", new JsonObject(new java.util.HashMap<>(netDelta)));
      if (childHeap >= 0) {
        row.put("gatewayHeapAfterFullGcBytes", childHeap);
      }
      intervals.add(row);
      Bench.progress(o, String.format(Locale.ROOT, "  interval %d: %,.0f msg/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
              + "heap after GC %,.1f MB (%d GCs, %d ms)%s, CPU %.0f%%, TCP retransmits %d", index, tput,
          PhaseResult.ms(h, 50), PhaseResult.ms(h, 99), PhaseResult.ms(h, 99.9), g.minAfterGc() / 1048576.0,
          g.collections(), g.pauseMs(), childHeap >= 0 ? String.format(Locale.ROOT, ", gateway JVM after full GC %,.1f MB",
              childHeap / 1048576.0) : "", share.process() * 100, netDelta.getOrDefault("tcpRetransmits", 0L)));
      next += interval;
      if (now >= phase.end) {
        break;
      }
    }
    phase.cpuEnd(cpu.snapshot());
    phase.drain(RelayScenario.seconds(o.decimal("drain")));
    report.add(phase.result());
    report.json.put("intervals", intervals);
    report.json.put("heapScope", env.child() != null ? "gatewayHeapAfterFullGcBytes: the gateway's own JVM after a "
        + "forced full GC (jcmd GC.run) at the end of every interval; heapAfterGc*: the bench JVM (Kafka, load generator)"
        : env.external() ? "the bench JVM only (the gateway is external: read its own jvm_memory_used_bytes)"
        : "the whole bench JVM: gateway, bridge, echo, Kafka broker and load generator");
    drift(report, intervals);
  }

  /** First against last interval (the first is skipped when there are more than two: it includes ramp-up). */
  private static void drift(Report report, JsonArray intervals) {
    int n = intervals.size();
    if (n < 2) {
      return;
    }
    JsonObject a = intervals.getJsonObject(n > 2 ? 1 : 0);
    JsonObject b = intervals.getJsonObject(n - 1);
    String heapKey = a.containsKey("gatewayHeapAfterFullGcBytes") ? "gatewayHeapAfterFullGcBytes" : "heapAfterGcMinBytes";
    double heapA = a.getLong(heapKey) / 1048576.0;
    double heapB = b.getLong(heapKey) / 1048576.0;
    double p99A = a.getJsonObject("latencyMs").getDouble("p99", Double.NaN);
    double p99B = b.getJsonObject("latencyMs").getDouble("p99", Double.NaN);
    double slope = slope(intervals, heapKey);
    report.compare("soak: " + (heapKey.startsWith("gateway") ? "gateway JVM heap after a full GC"
        : "heap after GC (whole bench JVM)") + ", last interval vs interval " + a.getInteger("interval"), heapB, heapA, true,
        "MB",
        "flat (within 10% or 16 MB)", heapA > 0 && Math.abs(heapB - heapA) <= Math.max(16, 0.1 * heapA),
        String.format(Locale.ROOT, "least-squares slope %.2f MB per interval", slope));
    report.compare("soak: p99, last interval vs interval " + a.getInteger("interval"), p99B, p99A, false, "ms",
        "flat (within 1 ms or 50%)", Math.abs(p99B - p99A) <= Math.max(1.0, 0.5 * p99A), null);
  }

  private static double slope(JsonArray intervals, String heapKey) {
    int n = intervals.size();
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    double sxx = 0;
    int used = 0;
    for (int i = 0; i < n; i++) {
      long v = intervals.getJsonObject(i).getLong(heapKey, -1L);
      if (v < 0) {
        continue;
      }
      double y = v / 1048576.0;
      sx += i;
      sy += y;
      sxy += i * y;
      sxx += (double) i * i;
      used++;
    }
    double d = used * sxx - sx * sx;
    return used < 2 || d == 0 ? 0 : (used * sxy - sx * sy) / d;
  }
}
