package io.wxgateway.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.wxgateway.common.options.KafkaOptions;

/**
 * relay and kafka-baseline, back to back in one process on one broker: first the maximum (closed loop,
 * {@code --window} messages in flight per client), then an open loop at {@code --rate} (default: half
 * of the relay's measured maximum) with coordinated-omission-corrected latency. With {@code --repeat}
 * the rounds alternate which system goes first, so a drift of the shared machine hits both alike.
 */
final class RelayScenario {

  static final String BASELINE = "kafka-baseline";

  private final BenchOptions o;
  private final boolean relay;
  private final boolean baseline;
  private StageProfile stages;
  /** Tells the relay phases' losses apart (dead-lettered or vanished); null when it cannot be read. */
  private DeadLetterWatch deadLetters;

  RelayScenario(BenchOptions o, boolean relay, boolean baseline) {
    this.o = o;
    this.relay = relay;
    this.baseline = baseline;
  }

  Report run() throws Exception {
    String name = relay ? (o.crossNode() ? "relay-cross-node" : "relay") : BASELINE;
    Report report = new Report(name, o);
    int n = o.integer("connections");
    int loops = o.integer("client-threads");
    boolean binary = o.flag("binary");
    Payloads payloads = new Payloads(o.integer("payload-bytes"));
    if (relay) {
      FdLimit.require(o.string("target").isBlank() ? 2L * n : n, n + " sockets");
    }
    try (Environment env = Environment.start(o, relay, false)) {
      stages = env.stages;
      if (relay && !env.runtimes.isEmpty()) {
        deadLetters = env.deadLetters(env.echoRuntime().kafkaOptions());
      }
      CpuMeter cpu = new CpuMeter(KafkaBaseline::isLoadThread);
      URI first = env.endpoints.isEmpty() ? URI.create("ws://127.0.0.1:1/ws") : env.endpoints.get(0);
      List<String> sources = WsLoad.sourceAddresses(o.integer("source-addresses"), first);
      try (WsLoad ws = new WsLoad(env.clients, loops, sources, payloads, binary, o.integer("client-receive-buffer"))) {
        cpu.addLoadThreads(ws.threads);
        if (relay) {
          Bench.progress(o, String.format(Locale.ROOT, "opening %,d sockets to %s from %s", n, env.endpoints,
              sources.isEmpty() ? "the default address" : sources));
          WsLoad.ConnectStats cs = ws.connect(env.endpoints, n, o.integer("concurrency"), i -> uri(env, i));
          if (cs.failed() > 0) {
            throw new IllegalStateException(cs.failed() + " of " + n + " sockets failed to open: " + cs.firstError());
          }
          report.json.put("connect", new io.vertx.core.json.JsonObject().put("opened", cs.opened())
              .put("handshakesPerSecond", PhaseResult.round(cs.perSecond())));
        }
        KafkaBaseline base = null;
        try {
          if (baseline) {
            KafkaOptions kafka = env.runtimes.isEmpty() ? env.kafka : env.echoRuntime().kafkaOptions();
            base = new KafkaBaseline(env, kafka, env.echoVertx(), ws.contexts, n, payloads, binary);
          }
          List<Driver> drivers = new ArrayList<>();
          if (base != null) {
            drivers.add(base);
          }
          if (relay) {
            drivers.add(ws.relay());
          }
          measure(report, drivers, cpu);
        } finally {
          if (base != null) {
            base.close();
          }
          if (relay) {
            report.json.put("socketsClosedByServer", ws.closedByServer.get());
            ws.closeAll(5_000);
          }
        }
      }
    }
    return report;
  }

  static String uri(Environment env, int index) {
    URI endpoint = env.endpoints.get(index % env.endpoints.size());
    String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
    return endpoint.getRawQuery() == null ? path : path + "?" + endpoint.getRawQuery();
  }

  /** {@link #uri} with a token for {@code user} (the runtimes the bench starts for fanout and storm check tokens). */
  static String uri(Environment env, int index, String user) {
    String uri = uri(env, index);
    return uri + (uri.contains("?") ? "&" : "?") + "token=" + env.tokens.sign(user, 86_400);
  }

  private void measure(Report report, List<Driver> drivers, CpuMeter cpu) throws InterruptedException {
    int rounds = Math.max(1, o.integer("repeat"));
    int window = o.integer("window");
    long duration = seconds(o.decimal("duration"));
    long warmup = seconds(o.decimal("warmup"));
    long drain = seconds(o.decimal("drain"));
    boolean closed = !o.flag("open-only");
    boolean open = !o.flag("closed-only");
    if (warmup > 0) {
      for (Driver d : drivers) {
        Bench.progress(o, "warming up " + d.name() + " (closed loop, unmeasured)");
        runPhase(d, d.name() + " warm-up", "closed", window, 0, warmup / drivers.size(), drain, cpu);
      }
    }
    if (closed) {
      for (int round = 0; round < rounds; round++) {
        for (Driver d : ordered(drivers, round)) {
          report.add(runPhase(d, maxLabel(d, window), "closed", window, 0, duration, drain, cpu));
        }
      }
    }
    double rate = o.decimal("rate");
    String relayMax = relay ? maxLabel("relay", window) : maxLabel(BASELINE, window);
    if (open && rate <= 0) {
      double max = report.median(relayMax, p -> p.throughput);
      if (Double.isNaN(max)) {
        throw new IllegalArgumentException("--open-only needs --rate");
      }
      rate = Math.max(1, Math.round(max * o.decimal("fraction")));
    }
    if (open) {
      for (int round = 0; round < rounds; round++) {
        for (Driver d : ordered(drivers, round)) {
          report.add(runPhase(d, openLabel(d.name(), rate), "open", 0, rate, duration, drain, cpu));
        }
      }
    }
    compare(report, window, rate, closed, open);
  }

  private void compare(Report report, int window, double rate, boolean closed, boolean open) {
    String relayName = "relay";
    if (relay && baseline && closed) {
      double r = report.median(maxLabel(relayName, window), p -> p.throughput);
      double b = report.median(maxLabel(BASELINE, window), p -> p.throughput);
      List<Double> ratios = ratios(report, maxLabel(relayName, window), maxLabel(BASELINE, window));
      report.compare("relay / kafka-baseline max throughput", r, b, true, "msg/s", ">= 0.90", r / b >= 0.9,
          "median of " + ratios.size() + " rounds; per-round ratios " + fmt(ratios));
    }
    if (relay && baseline && open) {
      double r = report.median(openLabel(relayName, rate), p -> p.p(99));
      double b = report.median(openLabel(BASELINE, rate), p -> p.p(99));
      report.compare(String.format(Locale.ROOT, "relay p99 - kafka-baseline p99 @ %.0f msg/s", rate), r, b, false, "ms",
          "<= +1 ms", r - b <= 1.0, "open loop, coordinated-omission corrected");
    }
    for (String label : List.of(maxLabel(relayName, window), openLabel(relayName, rate), maxLabel(BASELINE, window),
        openLabel(BASELINE, rate))) {
      double lg = report.max(label, p -> p.cpu.loadGenerator());
      if (!Double.isNaN(lg) && lg > 0.25) {
        report.note(String.format(Locale.ROOT, "%s: the load generator used up to %.0f%% of the machine's CPU; "
            + "the figure is bounded by a shared machine, not only by the system under test", label, lg * 100));
      }
    }
  }

  private static List<Double> ratios(Report report, String a, String b) {
    List<Double> out = new ArrayList<>();
    List<PhaseResult> ra = report.results(a);
    List<PhaseResult> rb = report.results(b);
    for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
      out.add(PhaseResult.round(ra.get(i).throughput / rb.get(i).throughput));
    }
    return out;
  }

  private static String fmt(List<Double> v) {
    return v.toString();
  }

  static String maxLabel(Driver d, int window) {
    return maxLabel(d.name(), window);
  }

  static String maxLabel(String name, int window) {
    return name + " max (closed, window " + window + ")";
  }

  static String openLabel(String name, double rate) {
    return String.format(Locale.ROOT, "%s open @ %.0f/s", name, rate);
  }

  private static List<Driver> ordered(List<Driver> drivers, int round) {
    List<Driver> out = new ArrayList<>(drivers);
    if (round % 2 == 1) {
      java.util.Collections.reverse(out);
    }
    return out;
  }

  /**
   * One phase: the first fifth (at most 2 s) settles and is not measured, the rest is; then what is
   * still in flight drains.
   */
  PhaseResult runPhase(Driver d, String label, String mode, int window, double rate, long durationNanos,
      long drainNanos, CpuMeter cpu) throws InterruptedException {
    long settle = Math.min(2_000_000_000L, durationNanos / 5);
    Phase phase = new Phase(label, mode, settle, durationNanos, rate);
    DeadLetterWatch dead = d.name().equals("relay") ? deadLetters : null; // the baseline has no bridge
    if (dead != null) {
      dead.sink((reason, message, record) -> phase.onDeadLetter(reason, message.intended));
    }
    Bench.progress(o, String.format(Locale.ROOT, "%s: %.0f s", label, (settle + durationNanos) / 1e9));
    if ("open".equals(mode)) {
      d.openLoop(phase, rate);
    } else {
      d.closedLoop(phase, window);
    }
    phase.runThrough(cpu);
    phase.drain(drainNanos);
    if (dead != null && !dead.catchUp(10_000)) {
      Bench.progress(o, "  the dead-letter topic was not read to its end within 10 s");
    }
    PhaseResult r = phase.result();
    if (dead != null) {
      dead.sink(null);
      r.splitLostOneToOne();
    }
    if (stages != null) {
      stages.attach(phase, r, cpu);
    }
    Bench.progress(o, String.format(Locale.ROOT, "  %,.0f msg/s, p50 %.2f ms, p99 %.2f ms, %s, errors %d, load generator CPU %.0f%%",
        r.throughput, r.p(50), r.p(99), r.lossSummary(), r.errors, r.cpu.loadGenerator() * 100));
    Bench.progress(o, "  CPU by thread group (share of the machine): " + topGroups(r.cpu, 8));
    if (!r.tcp.isEmpty()) {
      Bench.progress(o, "  TCP (machine-wide): " + r.tcp.encode());
    }
    return r;
  }

  static String topGroups(CpuMeter.Share cpu, int n) {
    StringBuilder b = new StringBuilder();
    cpu.byGroup().entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(n)
        .forEach(e -> b.append(String.format(Locale.ROOT, "%s %.0f%%; ", e.getKey(), e.getValue() * 100)));
    return b.toString();
  }

  static long seconds(double s) {
    return (long) (s * 1e9);
  }
}
