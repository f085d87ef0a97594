package io.wxgateway.bench;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import org.HdrHistogram.Recorder;

/** One drop and reconnect of every storm socket, with its milestones timed from the drop. */
final class StormRound {

  static final String RECONNECT = "storm reconnect";
  static final String PUSH = "storm push to every reconnected socket";

  private final BenchOptions o;
  private final Environment env;
  private final WsLoad ws;
  private final LifecycleWatch watch;
  private final StormPresence presence;
  private final CpuMeter cpu;
  private final int n;
  private final IntFunction<String> uris;

  StormRound(BenchOptions o, Environment env, WsLoad ws, LifecycleWatch watch, StormPresence presence, CpuMeter cpu,
      int n, IntFunction<String> uris) {
    this.o = o;
    this.env = env;
    this.ws = ws;
    this.watch = watch;
    this.presence = presence;
    this.cpu = cpu;
    this.n = n;
    this.uris = uris;
  }

  /** Drops every socket, reconnects them and waits for each milestone; the reconnect and push rows. */
  List<PhaseResult> run(String label) throws InterruptedException {
    Deliveries pushes = new Deliveries(n);
    ws.handler(pushes);
    List<WsLoad.Conn> old = ws.forgetAll();
    Bench.progress(o, String.format(Locale.ROOT, "%s: dropping %,d sockets at once (TCP reset, no close frame), "
        + "reconnecting them", label, old.size()));
    CpuMeter.Snapshot cpuStart = cpu.snapshot();
    long drop = Clock.nanos();
    LifecycleWatch.Generation g = watch.begin(n, true, drop);
    for (WsLoad.Conn c : old) {
      c.context.runOnContext(v -> reset(c.ws));
    }
    WsLoad.ConnectStats cs = ws.connect(env.endpoints, n, o.integer("concurrency"), uris);
    long allOpen = Clock.nanos();
    long deadline = drop + StormScenario.deadline(n);
    long presenceAt = 0;
    if (presence != null && watch.awaitPreviousClosed(g, deadline)) {
      presenceAt = presence.settledAt(deadline);
    }
    boolean events = watch.awaitOpened(g, deadline);
    boolean pushed = pushes.await(deadline);
    CpuMeter.Share share = CpuMeter.between(cpuStart, cpu.snapshot());

    String missed = cs.failed() > 0 ? cs.failed() + " reconnects failed: " + cs.firstError()
        : !events ? "read " + g.opened.size() + " of " + n + " open events"
        : presence != null && presenceAt == 0 ? "presence did not settle (old closes read: " + g.previousClosed.size() + ")"
        : !pushed ? pushes.got.size() + " of " + n + " sockets got their push" : null;
    double openSeconds = (allOpen - drop) / 1e9;
    PhaseResult reconnect = new PhaseResult(label + " reconnect", "storm", 0, openSeconds, n, cs.opened(),
        missed == null ? 0 : 1, missed, cs.opened() / openSeconds, cs.handshakeMicros(), cs.handshakeMicros(), share);
    reconnect.extra.put("sockets", n).put("concurrency", o.integer("concurrency"))
        .put("allOpenSeconds", seconds(allOpen, drop));
    if (events) {
      reconnect.extra.put("openEventsSeconds", seconds(g.allOpenedAt, drop));
    }
    if (g.previousClosedAt != 0) {
      reconnect.extra.put("oldClosesReadSeconds", seconds(g.previousClosedAt, drop));
    }
    if (presenceAt != 0) {
      reconnect.extra.put("presenceSettledSeconds", seconds(presenceAt, drop));
    }
    if (pushed) {
      reconnect.extra.put("pushesDeliveredSeconds", seconds(pushes.allAt, drop));
    }
    double pushSeconds = ((pushed ? pushes.allAt : Clock.nanos()) - drop) / 1e9;
    PhaseResult push = new PhaseResult(label + " push to every reconnected socket", "storm", 0, pushSeconds,
        g.pushesSent.get(), pushes.got.size(), 0, null, pushes.got.size() / pushSeconds,
        pushes.fromDrop.getIntervalHistogram(), pushes.service.getIntervalHistogram(), share);
    push.extra.put("latencyFrom", "the drop; serviceTime: from the push's write to the outbound topic");
    Bench.progress(o, String.format(Locale.ROOT, "  all open %.2f s, open events %s, presence %s, pushes %s after the drop",
        openSeconds, at(events ? g.allOpenedAt : 0, drop), presence == null ? "not read (no in-process gateway)"
        : at(presenceAt, drop), at(pushed ? pushes.allAt : 0, drop)));
    return List.of(reconnect, push);
  }

  private static double seconds(long at, long from) {
    return PhaseResult.round((at - from) / 1e9);
  }

  private static String at(long at, long from) {
    return at == 0 ? "missed" : String.format(Locale.ROOT, "%.2f s", (at - from) / 1e9);
  }

  /**
   * Drops the connection as a phone leaving its network does, as far as loopback can: no close frame;
   * SO_LINGER 0 makes the close a TCP reset, so the gateway learns of it at once (a phone that just
   * goes silent is found by the gateway's ping timeout instead, which this does not measure).
   */
  static void reset(WebSocket ws) {
    ws.closeHandler(null);
    ws.exceptionHandler(null);
    Channel channel = ((WebSocketInternal) ws).channelHandlerContext().channel();
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close();
  }

  /** The first push each reconnected socket receives, timed from the drop and from the push's write. */
  static final class Deliveries implements WsLoad.MessageHandler {
    final Set<WsLoad.Conn> got = ConcurrentHashMap.newKeySet();
    final Recorder fromDrop = new Recorder(1, Phase.HIGHEST_MICROS, 3);
    final Recorder service = new Recorder(1, Phase.HIGHEST_MICROS, 3);
    final int expected;
    volatile long allAt;

    Deliveries(int expected) {
      this.expected = expected;
    }

    @Override
    public void onMessage(WsLoad.Conn conn, Buffer data) {
      Payloads.Parsed parsed = Payloads.parse(data);
      if (parsed == null) {
        return;
      }
      long now = Clock.nanos();
      if (got.add(conn)) {
        fromDrop.recordValue(micros(now - parsed.intended));
        service.recordValue(micros(now - parsed.sent));
        if (got.size() == expected) {
          allAt = now;
        }
      }
    }

    boolean await(long deadlineNanos) throws InterruptedException {
      while (allAt == 0 && Clock.nanos() < deadlineNanos) {
        Thread.sleep(5);
      }
      return allAt != 0;
    }

    private static long micros(long nanos) {
      return Math.max(1, Math.min(Phase.HIGHEST_MICROS, nanos / 1000));
    }
  }
}
