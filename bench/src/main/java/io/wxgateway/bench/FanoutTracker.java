package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.contract.CeHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Tracks the deliveries of every record in flight; writes the next record when one is complete (closed
 * loop). As the {@link DeadLetterWatch}'s sink it marks the records the bridge dead-lettered, so that
 * at the end each record still missing deliveries is either dead-lettered (with its reason) or vanished.
 */
final class FanoutTracker implements WsLoad.MessageHandler, Driver, DeadLetterWatch.Sink {

  /** How many vanished records the JSON lists, with where they were written. */
  private static final int SAMPLE = 20;

  /** One record in flight: the deliveries still expected, and what Kafka and the bridge said of it. */
  static final class Pending {
    final AtomicInteger left;
    final long intended;
    /** By user: which of the user's sockets (bit i: the user's i-th) got it, to name the ones that did not. */
    final AtomicLong got = new AtomicLong();
    volatile int partition = -1;
    volatile long offset = -1;
    volatile String sendError;
    /** ce_deliveryerror and ce_deliverydetail of its dead letter, if the bridge wrote one. */
    volatile String deadLetter;
    volatile String deadLetterDetail;

    Pending(int fan, long intended) {
      this.left = new AtomicInteger(fan);
      this.intended = intended;
    }
  }

  final Phase phase;
  final String mode;
  final FanoutPusher pusher;
  final int n;
  final int spu;
  final int window;
  final Payloads payloads;
  final Map<Long, Pending> remaining = new ConcurrentHashMap<>();
  final AtomicLong seq = new AtomicLong();
  final AtomicLong completed = new AtomicLong();
  /** Measured records dead-lettered although every delivery arrived (answered after the bridge gave up). */
  final AtomicLong deadLetteredButDelivered = new AtomicLong();
  /** Deliveries that arrived again (the bridge delivers at least once: a record consumed again after a rebalance). */
  final AtomicLong duplicates = new AtomicLong();

  FanoutTracker(Phase phase, String mode, FanoutPusher pusher, int n, int spu, int window, Payloads payloads) {
    this.phase = phase;
    this.mode = mode;
    this.pusher = pusher;
    this.n = n;
    this.spu = spu;
    this.window = window;
    this.payloads = payloads;
  }

  private int user(long record) {
    return (int) (record % ((n + spu - 1) / spu));
  }

  /** Where a record went: its user, connection number or "all"; by user also which sockets (numbers) missed it. */
  private JsonObject target(long record, Pending p) {
    JsonObject t = new JsonObject();
    switch (mode) {
      case "user" -> {
        int u = user(record);
        JsonArray missed = new JsonArray();
        for (int i = 0; i < fanOf(record); i++) {
          if ((p.got.get() & (1L << i)) == 0) {
            missed.add(u * spu + i);
          }
        }
        t.put("user", "u" + u).put("socketsMissed", missed);
      }
      case "connection" -> t.put("socket", (int) (record % n));
      default -> t.put("all", true);
    }
    return t;
  }

  int fanOf(long record) {
    return switch (mode) {
      case "connection" -> 1;
      case "user" -> {
        int users = (n + spu - 1) / spu;
        int user = (int) (record % users);
        yield Math.min(spu, n - user * spu);
      }
      default -> n;
    };
  }

  @Override
  public void send(int client, long intended) {
    long s = seq.incrementAndGet();
    int fan = fanOf(s);
    Pending p = new Pending(fan, intended);
    remaining.put(s, p);
    phase.onSent(intended, fan);
    pusher.push(mode, s, s, payloads.text(0, s, intended, Clock.nanos()), p);
  }

  @Override
  public void onMessage(WsLoad.Conn conn, Buffer data) {
    Payloads.Parsed parsed = Payloads.parse(data);
    if (parsed == null) {
      return;
    }
    long now = Clock.nanos();
    phase.onReceived(parsed.intended, parsed.sent, now);
    if (!phase.owns(parsed.intended)) {
      return; // an earlier phase's record: its seq is not this phase's
    }
    Pending p = remaining.get(parsed.seq);
    if (p == null) {
      duplicates.incrementAndGet(); // every delivery of it has arrived already: consumed again (at-least-once)
      return;
    }
    if (mode.equals("user")) {
      int bit = conn.index - user(parsed.seq) * spu;
      long mask = bit >= 0 && bit < 64 ? 1L << bit : 0;
      if ((p.got.getAndAccumulate(mask, (a, b) -> a | b) & mask) != 0) {
        duplicates.incrementAndGet(); // that socket had it already
        return;
      }
    }
    if (p.left.decrementAndGet() == 0) {
      remaining.remove(parsed.seq);
      completed.incrementAndGet();
      if (p.deadLetter != null && phase.isMeasured(p.intended)) {
        deadLetteredButDelivered.incrementAndGet();
      }
      if (window > 0 && phase.sending(now)) {
        send(0, now);
      }
    }
  }

  @Override
  public void deadLettered(String reason, Payloads.Parsed message, ConsumerRecord<String, byte[]> record) {
    if (!phase.owns(message.intended)) {
      return; // an earlier phase's record
    }
    phase.onDeadLetter(reason, message.intended);
    Pending p = remaining.get(message.seq);
    if (p != null) {
      Header detail = record.headers().lastHeader(CeHeaders.DELIVERY_DETAIL);
      p.deadLetterDetail = detail == null ? "" : new String(detail.value(), StandardCharsets.UTF_8);
      p.deadLetter = reason;
    } else if (phase.isMeasured(message.intended)) {
      deadLetteredButDelivered.incrementAndGet();
    }
  }

  /**
   * After the drain and the dead letters' catch-up: every measured record still missing deliveries,
   * as dead-lettered (by reason) or vanished, in deliveries, into {@code r}; a sample of the vanished
   * ones (partition and offset in the outbound topic) into its extras.
   */
  void splitLost(PhaseResult r) {
    Map<String, Long> dead = new TreeMap<>();
    long vanished = 0;
    long vanishedRecords = 0;
    JsonArray sample = new JsonArray();
    JsonArray deadSample = new JsonArray();
    for (Map.Entry<Long, Pending> e : remaining.entrySet()) {
      Pending p = e.getValue();
      int left = p.left.get();
      if (!phase.isMeasured(p.intended) || left <= 0) {
        continue;
      }
      if (p.deadLetter != null) {
        dead.merge(p.deadLetter, (long) left, Long::sum);
        if (deadSample.size() < SAMPLE) {
          deadSample.add(target(e.getKey(), p).put("seq", e.getKey()).put("partition", p.partition).put("offset", p.offset)
              .put("missingDeliveries", left).put("error", p.deadLetter).put("detail", p.deadLetterDetail));
        }
        continue;
      }
      vanished += left;
      vanishedRecords++;
      if (sample.size() < SAMPLE) {
        sample.add(target(e.getKey(), p).put("seq", e.getKey()).put("partition", p.partition).put("offset", p.offset)
            .put("missingDeliveries", left).put("sendError", p.sendError));
      }
    }
    r.lostDeadLettered.putAll(dead);
    r.vanished = vanished;
    r.extra.put("vanishedRecords", vanishedRecords).put("deadLetteredButDelivered", deadLetteredButDelivered.get())
        .put("duplicateDeliveries", duplicates.get());
    if (!sample.isEmpty()) {
      r.extra.put("vanishedSample", sample);
    }
    if (!deadSample.isEmpty()) {
      r.extra.put("deadLetteredSample", deadSample);
    }
  }

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public int clients() {
    return 1;
  }

  @Override
  public void phase(Phase p, int w) {
  }

  @Override
  public void openLoop(Phase p, double rate) {
  }

  @Override
  public void closedLoop(Phase p, int w) {
  }
}
