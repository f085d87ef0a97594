package io.wxgateway.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.deploy.WxRuntime;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * resume-storm: {@code --connections} sessions of the session protocol (default 10,000, one user each)
 * on one in-process node with its bridge lose their sockets at once (a TCP reset each, as in
 * {@code storm}) and are suspended; as their backend, the bench pushes 10 records to each (5 to its
 * user, 5 to its connection), which the bridge holds for replay; then every session reconnects with
 * its resume token (all handshakes first, then every hello within one second) and is measured from
 * the first hello until every session has its welcome, its 10 pushes (once each, by position) and
 * {@code recovered: true}. Heap after GC with the sessions suspended and with their pushes held
 * gives the heap per suspended session and the cost of the history per buffered push (in-process:
 * the heap is shared with the load generator and the broker, so these are approximate; the client keeps
 * each session's token and connection id, about 250 bytes, in the same heap).
 */
final class ResumeStormScenario {

  static final int DEFAULT_SESSIONS = 10_000;
  static final int PUSHES_EACH = 10;
  static final String LABEL = "resume storm";
  /** {@code wx.sessions.suspended} as Prometheus names it. */
  static final String SUSPENDED_GAUGE = "wx_sessions_suspended";

  private final BenchOptions o;

  ResumeStormScenario(BenchOptions o) {
    this.o = o;
  }

  Report run() throws Exception {
    Report report = new Report("resume-storm", o);
    if (o.crossNode() || !o.string("target").isBlank() || "child".equals(o.string("gateway"))) {
      throw new IllegalArgumentException("resume-storm runs on one in-process node: no --nodes, --bridges, --target");
    }
    int n = o.isSet("connections") ? o.integer("connections") : DEFAULT_SESSIONS;
    FdLimit.require(2L * n, n + " sockets (both ends in this JVM)");
    try (Environment env = Environment.start(o, true, true)) {
      WxRuntime rt = env.echoRuntime();
      KafkaOptions kafka = rt.kafkaOptions();
      SessionTracker sessions = new SessionTracker(n, PUSHES_EACH);
      try (WsLoad ws = load(env, sessions);
           KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
               new HashMap<String, Object>(kafka.producerConfig("wx-bench-resume-storm")));
           Admin admin = Admin.create(env.adminConfig())) {
        long heapEmpty = heap(); // the load generator and its client exist already: only the sessions differ
        open(env, ws, sessions, n, null);
        Bench.progress(o, String.format(Locale.ROOT, "%,d sessions open; dropping every socket at once", n));
        long committedBefore = committed(admin, env);
        for (WsLoad.Conn c : ws.forgetAll()) {
          c.context.runOnContext(v -> StormRound.reset(c.ws));
        }
        awaitSuspended(rt, n);
        long heapSuspended = heap();
        push(producer, kafka.getOutboundTopic(), sessions, n);
        awaitAccounted(admin, env, committedBefore + (long) n * PUSHES_EACH);
        long heapHeld = heap();
        double historyBytes = gauge(rt.managementPort(), "wx_bridge_history_size_bytes");
        double historyPushes = gauge(rt.managementPort(), "wx_bridge_history_pushes");
        report.json.put("bridgeHistoryBytes", historyBytes).put("bridgeHistoryPushes", historyPushes);
        Bench.progress(o, String.format(Locale.ROOT, "%,d pushes held; resuming every session", n * PUSHES_EACH));
        sessions.resetForResume();
        CpuMeter cpu = new CpuMeter(name -> name.contains("| wx-bench-resume-storm"));
        cpu.addLoadThreads(ws.threads);
        CpuMeter.Snapshot cpuStart = cpu.snapshot();
        long start = open(env, ws, sessions, n, sessions.tokens);
        boolean done = await(() -> sessions.allCompleteAt != 0, StormScenario.deadline(n));
        report.add(result(sessions, n, start, done, CpuMeter.between(cpuStart, cpu.snapshot())));
        figures(report, n, heapEmpty, heapSuspended, heapHeld, start, sessions);
        ws.closeAll(5_000);
      }
    }
    return report;
  }

  private WsLoad load(Environment env, SessionTracker sessions) {
    WsLoad ws = new WsLoad(env.clients, o.integer("client-threads"),
        WsLoad.sourceAddresses(o.integer("source-addresses"), env.endpoints.get(0)),
        new Payloads(o.integer("payload-bytes")), false, o.integer("client-receive-buffer"));
    ws.subprotocol(SessionTracker.SUBPROTOCOL);
    ws.handler(sessions);
    return ws;
  }

  /** Opens n sockets, then sends every hello (with {@code tokens}, if any) within one second; the first hello's time. */
  private long open(Environment env, WsLoad ws, SessionTracker sessions, int n, String[] tokens) throws Exception {
    WsLoad.ConnectStats cs = ws.connect(env.endpoints, n, o.integer("concurrency"),
        i -> RelayScenario.uri(env, i, "u" + i));
    if (cs.failed() > 0) {
      throw new IllegalStateException(cs.failed() + " of " + n + " sockets failed to open: " + cs.firstError());
    }
    long start = Clock.nanos();
    long spreadNanos = 1_000_000_000L;
    for (int i = 0; i < n; i++) {
      WsLoad.Conn c = ws.conn(i);
      String hello = SessionTracker.hello(tokens == null ? null : tokens[i]);
      long due = start + spreadNanos * i / n;
      while (Clock.nanos() < due) {
        Thread.onSpinWait();
      }
      sessions.helloAt[i] = due;
      c.context.runOnContext(v -> c.ws.writeTextMessage(hello));
    }
    if (!await(() -> sessions.welcomed.get() == n, StormScenario.deadline(n))) {
      throw new IllegalStateException(sessions.welcomed.get() + " of " + n + " sessions welcomed; the gateway closed "
          + ws.closedByServer.get() + " sockets (last: " + ws.lastClose.get() + "), socket errors " + ws.socketErrors.get());
    }
    return start;
  }

  /** 5 pushes to each session's user, then 5 to its (suspended) connection; keyed by user, so in order. */
  private static void push(KafkaProducer<String, byte[]> producer, String topic, SessionTracker s, int n) {
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < PUSHES_EACH; k++) {
        RecordHeaders h = new RecordHeaders();
        boolean byUser = k < PUSHES_EACH / 2;
        h.add(byUser ? CeHeaders.USER_ID : CeHeaders.CONNECTION_ID,
            (byUser ? "u" + i : s.connectionIds[i]).getBytes(StandardCharsets.UTF_8));
        h.add(CeHeaders.ID, ("rs-" + i + "-" + k).getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, "u" + i, ("missed " + k).getBytes(StandardCharsets.UTF_8), h));
      }
    }
    producer.flush();
  }

  private PhaseResult result(SessionTracker s, int n, long start, boolean done, CpuMeter.Share cpu) {
    double seconds = ((done ? s.allCompleteAt : Clock.nanos()) - start) / 1e9;
    org.HdrHistogram.Histogram recover = s.recoverMicros.getIntervalHistogram();
    String problem = !done ? s.complete.get() + " of " + n + " sessions recovered with all their pushes ("
        + s.missing() + " pushes missing; " + s.firstProblem + ")" : null;
    PhaseResult r = new PhaseResult(LABEL, "resume-storm", 0, seconds, (long) n * PUSHES_EACH, s.pushes.get(),
        done ? 0 : 1, problem, s.pushes.get() / seconds, recover, recover, cpu);
    r.extra.put("latencyFrom", "each session's hello to its last push and recovered:true");
    r.extra.put("sessions", n).put("resumed", s.resumed.get()).put("refused", s.refused.get())
        .put("recovered", s.recovered.get()).put("recoveredFalse", s.notRecovered.get())
        .put("pushesLost", s.missing()).put("duplicatesDropped", s.duplicates.get())
        .put("allRecoveredSeconds", PhaseResult.round(seconds));
    return r;
  }

  private void figures(Report report, int n, long empty, long suspended, long held, long start, SessionTracker s) {
    double perSession = (suspended - empty) / (double) n;
    double perPush = (held - suspended) / (double) (n * PUSHES_EACH);
    report.json.put("heapEmptyBytes", empty).put("heapSuspendedBytes", suspended).put("heapHeldBytes", held);
    String note = "in-process: the heap is shared with the load generator and the broker (MemoryMXBean after System.gc())";
    report.target(String.format(Locale.ROOT, "resume storm of %,d: every session recovered with its %d pushes, "
        + "from the first hello", n, PUSHES_EACH), report.median(LABEL, r -> r.seconds), "s", "measured", true, null);
    report.target("heap per suspended session", perSession, "B", "measured", true, note);
    report.target("history: heap per buffered push (" + "payload 8 B)", perPush, "B", "measured", true, note);
    double estimate = report.json.getDouble("bridgeHistoryBytes") / report.json.getDouble("bridgeHistoryPushes");
    report.target("history: the bridge's own estimate per buffered push (wx.bridge.history.size / .pushes)", estimate,
        "B", "measured", true, "the bridge's accounting (payload + key + headers + 256 B overhead), what its bound counts");
    Bench.progress(o, String.format(Locale.ROOT, "  all recovered %.2f s after the first hello; heap %.0f B per "
        + "suspended session, %.0f B per held push; resumed %d, refused %d, recovered:false %d, lost %d",
        report.median(LABEL, r -> r.seconds), perSession, perPush, s.resumed.get(), s.refused.get(),
        s.notRecovered.get(), s.missing()));
  }

  /** Until the gateway's {@code wx.sessions.suspended} gauge (read off its /metrics, as Prometheus would) says n. */
  private static void awaitSuspended(WxRuntime rt, int n) throws InterruptedException {
    if (!await(() -> gauge(rt.managementPort(), SUSPENDED_GAUGE) >= n, 60_000_000_000L)) {
      throw new IllegalStateException("the sessions were not all suspended: " + SUSPENDED_GAUGE + " = "
          + gauge(rt.managementPort(), SUSPENDED_GAUGE));
    }
  }

  /** The value of an untagged gauge on the management server's /metrics; -1 when absent or unreadable. */
  static double gauge(int managementPort, String name) {
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
              .timeout(java.time.Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return -1;
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static long committed(Admin admin, Environment env) throws Exception {
    Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(RuntimeSettings.bridgeGroup(env.runId))
        .partitionsToOffsetAndMetadata().get();
    return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
  }

  private static void awaitAccounted(Admin admin, Environment env, long target) throws Exception {
    long deadline = Clock.nanos() + 120_000_000_000L;
    while (committed(admin, env) < target) {
      if (Clock.nanos() > deadline) {
        throw new IllegalStateException("the bridge did not account for every push within 120 s");
      }
      Thread.sleep(100);
    }
  }

  private static long heap() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static boolean await(java.util.function.BooleanSupplier condition, long timeoutNanos)
      throws InterruptedException {
    long deadline = Clock.nanos() + timeoutNanos;
    while (!condition.getAsBoolean()) {
      if (Clock.nanos() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }
}
