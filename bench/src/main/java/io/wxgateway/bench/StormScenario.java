package io.wxgateway.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * storm: a reconnect storm on one node, as when a phone network switches its cells and every phone
 * behind it reconnects at once. {@code --connections} sockets (default 10,000; one user each, each
 * reconnecting with the token it first opened with) are open; all of them are dropped at the same
 * moment without a close frame (the client resets the TCP connection: SO_LINGER 0, so the gateway
 * sees a reset, not a close handshake) and reconnect at once, {@code --concurrency} handshakes in
 * flight. Measured from the drop, each round:
 * <ol>
 *   <li>every socket open again (the last handshake completed);</li>
 *   <li>their {@code wx.socket.open} events read off the inbound topic, as a backend reads them;</li>
 *   <li>presence settled: every old socket's {@code wx.socket.close} read, and every user online in the
 *   gateway's presence map again (in-process runtimes only: the map is read in this JVM);</li>
 *   <li>pushes flowing: the bench, as the backend, answers every open event with a push to that
 *   connection, and every reconnected socket got its push.</li>
 * </ol>
 * The target of issue 14 is 10,000 sockets back within 5 s on one node; the report gives the figures
 * beside it and the smoke test asserts none of them.
 */
final class StormScenario {

  static final int DEFAULT_SOCKETS = 10_000;
  private static final Pattern TOKENS = Pattern.compile(
      "^wx_auth_tokens_total\\{[^}]*check=\"([a-z]+)\"[^}]*\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);

  /** One client for the scrapes: a JDK HttpClient holds a selector thread until it is collected. */
  private static final HttpClient SCRAPES = HttpClient.newHttpClient();

  private final BenchOptions o;

  StormScenario(BenchOptions o) {
    this.o = o;
  }

  Report run() throws Exception {
    Report report = new Report("storm", o);
    if (o.crossNode()) {
      throw new IllegalArgumentException("storm runs on one node: no --nodes or --bridges");
    }
    int n = o.isSet("connections") ? o.integer("connections") : DEFAULT_SOCKETS;
    // In-process both ends of every socket are in this JVM; an old socket's descriptor is freed as
    // soon as the gateway reads its reset, which comes before the new handshakes.
    boolean inProcess = o.string("target").isBlank() && !"child".equals(o.string("gateway"));
    FdLimit.require((inProcess ? 2L : 1L) * n, n + " sockets" + (inProcess ? " (both ends in this JVM)" : ""));
    Payloads payloads = new Payloads(o.integer("payload-bytes"));
    try (Environment env = Environment.start(o, true, true)) {
      CpuMeter cpu = new CpuMeter(name -> name.contains("| wx-bench-storm"));
      KafkaOptions kafka = env.runtimes.isEmpty() ? env.kafka : env.echoRuntime().kafkaOptions();
      Vertx gateway = env.runtimes.isEmpty() ? null : env.runtimes.get(0).vertx();
      StormPresence presence = gateway == null ? null : new StormPresence(gateway, n);
      IntFunction<String> uris = tokenUris(env, n);
      int rounds = Math.max(1, o.integer("repeat"));
      try (WsLoad ws = new WsLoad(env.clients, o.integer("client-threads"),
          WsLoad.sourceAddresses(o.integer("source-addresses"), env.endpoints.get(0)), payloads, false,
          o.integer("client-receive-buffer"));
           KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
               new HashMap<String, Object>(kafka.producerConfig("wx-bench-storm")));
           LifecycleWatch watch = new LifecycleWatch(kafka, producer, payloads, env.runId)) {
        cpu.addLoadThreads(ws.threads);
        cpu.addLoadThread(watch.thread());
        Bench.progress(o, String.format(Locale.ROOT, "opening %,d sockets (one user each) to %s", n, env.endpoints));
        LifecycleWatch.Generation first = watch.begin(n, false, Clock.nanos());
        WsLoad.ConnectStats cs = ws.connect(env.endpoints, n, o.integer("concurrency"), uris);
        if (cs.failed() > 0) {
          throw new IllegalStateException(cs.failed() + " of " + n + " sockets failed to open: " + cs.firstError());
        }
        if (!watch.awaitOpened(first, Clock.nanos() + deadline(n))) {
          throw new IllegalStateException("read " + first.opened.size() + " of " + n + " open events");
        }
        if (presence != null && presence.settledAt(Clock.nanos() + deadline(n)) == 0) {
          throw new IllegalStateException("not every user is online in the presence map after the first open");
        }
        StormRound round = new StormRound(o, env, ws, watch, presence, cpu, n, uris);
        if (o.decimal("warmup") > 0) {
          round.run("storm warm-up");
        }
        for (int i = 0; i < rounds; i++) {
          round.run("storm").forEach(report::add);
        }
        report.json.put("sockets", n).put("socketsClosedByServer", ws.closedByServer.get());
        Integer management = managementPort(env);
        if (management != null) {
          report.json.put("tokens", tokenChecks(management));
        }
        if (ws.closedByServer.get() > 0) {
          report.note("the gateway closed " + ws.closedByServer.get() + " sockets, last: " + ws.lastClose.get());
        }
        ws.closeAll(5_000);
      }
      boolean baseline = baseline(o, report, n, inProcess);
      if (baseline) {
        BareStorm.run(o, env, cpu, payloads, n, uris, rounds).forEach(report::add);
      }
      targets(report, n, kafka.getInboundTopic(), presence != null, baseline);
    }
    return report;
  }

  /**
   * Whether the bare Vert.x storm runs after the gateway's, and if it cannot, a note saying why: a
   * remote {@code --target} has no local counterpart to compare with, and the bare server's sockets
   * must fit this JVM's descriptor limit when it runs in-process.
   */
  private static boolean baseline(BenchOptions o, Report report, int n, boolean inProcess) {
    if (o.flag("no-baseline")) {
      return false;
    }
    if (!o.string("target").isBlank()) {
      report.note("no bare Vert.x storm: a bare server on this machine is no baseline for a gateway at --target");
      return false;
    }
    long descriptors = (inProcess ? 2L : 1L) * n;
    if (FdLimit.fits(descriptors)) {
      return true;
    }
    report.note(String.format(Locale.ROOT, "no bare Vert.x storm: its %,d sockets need %,d descriptors in this JVM, "
        + "more than the limit leaves (ulimit -n %,d)%s", n, descriptors, FdLimit.max(),
        inProcess ? "; --gateway child needs half" : ""));
    return false;
  }

  /** The management port of the gateway the bench started, in-process or in a child JVM; null for --target. */
  private static Integer managementPort(Environment env) {
    if (!env.runtimes.isEmpty()) {
      return env.runtimes.get(0).managementPort();
    }
    return env.child() == null ? null : env.child().managementPort;
  }

  /**
   * Socket i's path and query, with a token for user {@code u<i>} signed once: a mini program keeps
   * its token and reconnects with it, it does not get a new one for every reconnect.
   */
  private static IntFunction<String> tokenUris(Environment env, int n) {
    String[] uris = new String[n];
    for (int i = 0; i < n; i++) {
      uris[i] = RelayScenario.uri(env, i, "u" + i);
    }
    return i -> uris[i];
  }

  /**
   * The gateway's {@code wx.auth.tokens} from its own scrape: tokens accepted after the checks and
   * those it remembered from an earlier handshake.
   */
  static JsonObject tokenChecks(int managementPort) throws Exception {
    HttpResponse<String> scrape = SCRAPES.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    JsonObject tokens = new JsonObject();
    Matcher m = TOKENS.matcher(scrape.body());
    while (m.find()) {
      tokens.put(m.group(1), (long) Double.parseDouble(m.group(2)));
    }
    return tokens;
  }

  /** How long a milestone may take before the round reports it missed: generous, a shared machine is slow. */
  static long deadline(int sockets) {
    return 60_000_000_000L + sockets * 3_000_000L;
  }

  private void targets(Report report, int n, String inbound, boolean presence, boolean baseline) {
    String target = "<= 5 s for 10,000 sockets on one node";
    String note = n == DEFAULT_SOCKETS ? null
        : String.format(Locale.ROOT, "this run had %,d sockets; the target is for 10,000", n);
    String label = StormRound.RECONNECT;
    List<String[]> milestones = new java.util.ArrayList<>(List.of(
        new String[] {"allOpenSeconds", "every socket open again"},
        new String[] {"openEventsSeconds", "their wx.socket.open events read from " + inbound}));
    if (presence) {
      milestones.add(new String[] {"presenceSettledSeconds", "presence settled (old sockets' closes read, every user online)"});
    }
    milestones.add(new String[] {"pushesDeliveredSeconds", "a push delivered to every reconnected socket"});
    for (String[] m : milestones) {
      double seconds = report.median(label, r -> r.extra.getDouble(m[0], Double.NaN));
      report.target(String.format(Locale.ROOT, "storm of %,d: %s, after the drop", n, m[1]), seconds, "s", target,
          seconds <= 5, note);
    }
    if (baseline) {
      report.compare(String.format(Locale.ROOT, "storm of %,d: every socket open again, gateway / bare Vert.x", n),
          report.median(label, r -> r.extra.getDouble("allOpenSeconds", Double.NaN)),
          report.median(BareStorm.RECONNECT, r -> r.extra.getDouble("allOpenSeconds", Double.NaN)), true, "s", null,
          null, "seconds after the drop, lower is better: the ratio is how much longer the gateway takes");
    }
  }
}
