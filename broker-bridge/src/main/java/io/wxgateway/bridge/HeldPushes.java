package io.wxgateway.bridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import io.vertx.core.Future;
import io.wxgateway.common.contract.DeliveryError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pushes suspended sessions hold (docs/sessions.md): a HELD record is accounted for (its offset
 * is committed) but neither delivered nor dead-lettered until a replay to one of its sessions
 * releases it (it then counts as delivered) or, {@code heldGraceMs} after its sessions' expiry, it is
 * dead-lettered {@code session-expired} with its original key, value and headers. A push that also
 * reached a socket is kept only for the replay marks and never dead-lettered.
 *
 * <p>The marks live in this bridge's memory only: when the partition is revoked or the bridge stops,
 * they are lost. Their records were committed; the new owner reads them back into its history, so a
 * resume still gets them, and a session that ends without resuming has them dead-lettered there
 * ({@link #sessionEnded}, told by the node that held the session). Event loop only.
 */
final class HeldPushes {

  private static final Logger LOG = LoggerFactory.getLogger(HeldPushes.class);

  /** Writes a session-expired dead letter for the entry's record. */
  interface Expiry {
    Future<Void> deadLetter(HistoryEntry entry, Outcome outcome);
  }

  private final long graceMs;
  private final BridgeMetrics metrics;
  private final Expiry expiry;
  private final Map<String, List<HistoryEntry>> bySession = new HashMap<>();
  private final PriorityQueue<HistoryEntry> byDeadline = new PriorityQueue<>(
      Comparator.comparingLong(e -> e.heldUntil));
  /** Held, to be dead-lettered unless released: the wx.bridge.held gauge. */
  private volatile int pending;

  HeldPushes(long graceMs, BridgeMetrics metrics, Expiry expiry) {
    this.graceMs = graceMs;
    this.metrics = metrics;
    this.expiry = expiry;
  }

  /**
   * Marks the entry held as {@code outcome} says; {@code outcome.reached()} pushes are never dead-lettered.
   * A session whose replay already carried the entry does not hold it (the old node answered after the
   * replay was): with no session left, the push counts as delivered.
   */
  void hold(HistoryEntry entry, org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record,
      Outcome outcome) {
    List<String> holding = outcome.heldFor().stream().filter(s -> !entry.replayedTo.contains(s)).toList();
    if (holding.isEmpty()) {
      if (!outcome.reached()) {
        metrics.delivered.increment();
      }
      return;
    }
    entry.heldFor = holding;
    entry.heldUntil = outcome.heldUntil();
    entry.deadLetterOnExpiry = !outcome.reached();
    entry.record = entry.deadLetterOnExpiry ? record : null;
    for (String session : entry.heldFor) {
      bySession.computeIfAbsent(session, s -> new ArrayList<>()).add(entry);
    }
    byDeadline.add(entry);
    if (entry.deadLetterOnExpiry) {
      metrics.held.increment();
      pending++;
    }
  }

  /**
   * A replay for {@code sessionId} was answered with {@code replayed}: its held pushes in it count as
   * delivered and are never dead-lettered, and a hold for it answered later holds nothing ({@link #hold}).
   * One held but not in it (evicted from the history by its bound meanwhile) stays held: it is
   * dead-lettered at expiry unless a later replay carries it.
   */
  void release(String sessionId, Set<HistoryEntry> replayed) {
    for (HistoryEntry e : replayed) {
      if (!e.replayedTo.contains(sessionId)) {
        List<String> to = new ArrayList<>(e.replayedTo);
        to.add(sessionId);
        e.replayedTo = List.copyOf(to);
      }
    }
    List<HistoryEntry> entries = bySession.get(sessionId);
    if (entries == null) {
      return;
    }
    List<HistoryEntry> released = entries.stream().filter(replayed::contains).toList();
    entries.removeAll(released);
    if (entries.isEmpty()) {
      bySession.remove(sessionId);
    }
    for (HistoryEntry e : released) {
      if (!e.released && !e.expired) {
        e.released = true;
        if (e.deadLetterOnExpiry) {
          e.record = null;
          pending--;
          metrics.heldReleased.increment();
          metrics.delivered.increment();
        }
      }
    }
  }

  /**
   * {@code sessionId} ended without resuming; {@code missed} is what a resume would have replayed.
   * Its pushes held here are dead-lettered now, not at their deadline. So are those read back from
   * Kafka and consumed from {@code suspendedAt} on (less the clock margin): the bridge that held them
   * is gone with its marks, and the phone never acknowledged them. Pushes consumed live that no hold
   * marks reached a socket: they are left alone.
   */
  void sessionEnded(String sessionId, List<HistoryEntry> missed, long suspendedAt, long now) {
    int due = 0;
    for (HistoryEntry e : missed) {
      if (e.released || e.expired) {
        continue;
      }
      if (e.heldFor(sessionId) && e.deadLetterOnExpiry) {
        byDeadline.remove(e);
      } else if (e.rebuiltUnmarked() && e.consumedAt >= suspendedAt - PushHistory.SKEW_MARGIN_MS) {
        e.heldFor = List.of(sessionId);
        e.deadLetterOnExpiry = true;
        e.record = e.original();
        bySession.computeIfAbsent(sessionId, s -> new ArrayList<>()).add(e);
        pending++;
      } else {
        continue;
      }
      e.heldUntil = now - graceMs;
      byDeadline.add(e);
      due++;
    }
    if (due > 0) {
      LOG.debug("session {} ended: {} of its missed pushes go to the dead letters", sessionId, due);
      expire(now);
    }
  }

  /** Dead-letters what is still held {@code heldGraceMs} after its expiry; forgets the rest that is due. */
  void expire(long now) {
    while (!byDeadline.isEmpty() && byDeadline.peek().heldUntil + graceMs <= now) {
      HistoryEntry e = byDeadline.poll();
      e.heldFor.forEach(s -> forget(s, e));
      if (e.released || e.expired || !e.deadLetterOnExpiry) {
        continue;
      }
      e.expired = true;
      deadLetter(e);
    }
  }

  private void deadLetter(HistoryEntry e) {
    String detail = "session " + String.join(", ", e.heldFor) + " ended without resuming; the push was held for it"
        + (e.rebuiltFrom == null ? "" : " (read back from Kafka: the bridge that held it stopped or gave the partition up)");
    expiry.deadLetter(e, Outcome.failed(DeliveryError.SESSION_EXPIRED, detail)).onComplete(ar -> {
      if (ar.succeeded()) {
        e.record = null;
        pending--;
      } else { // its offset is committed: this bridge is the only one that can still write it
        LOG.warn("cannot dead-letter held push {}: {}; trying again", e.delivery.position(), ar.cause().toString());
        e.heldUntil = System.currentTimeMillis() - graceMs + 1_000;
        e.expired = false;
        byDeadline.add(e);
      }
    });
  }

  private void forget(String session, HistoryEntry e) {
    List<HistoryEntry> entries = bySession.get(session);
    if (entries != null && entries.remove(e) && entries.isEmpty()) {
      bySession.remove(session);
    }
  }

  /** The partition is gone: its marks are lost (see the class comment). */
  void revoked(int partition) {
    List<HistoryEntry> gone = byDeadline.stream().filter(e -> e.partition() == partition).toList();
    for (HistoryEntry e : gone) {
      byDeadline.remove(e);
      e.heldFor.forEach(s -> forget(s, e));
      if (e.deadLetterOnExpiry && !e.released && !e.expired) {
        pending--;
        LOG.info("held push {} dropped with its partition: it will not be dead-lettered here", e.delivery.position());
      }
    }
  }

  int pending() {
    return pending;
  }
}
