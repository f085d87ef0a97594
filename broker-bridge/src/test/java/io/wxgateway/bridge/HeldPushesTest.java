package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Held pushes end as released (delivered) or dead-lettered session-expired, exactly once, never both. */
class HeldPushesTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final BridgeMetrics metrics = new BridgeMetrics(meters);
  private final List<String> deadLettered = new ArrayList<>();
  private final HeldPushes held = new HeldPushes(100, metrics, (e, o) -> {
    deadLettered.add(e.delivery.position() + " " + o.error().code() + " " + e.record.key()
        + (e.rebuiltFrom == null ? "" : " " + new String(e.record.value()) + " " + e.record.headers().lastHeader("h")
            .value().length));
    return Future.succeededFuture();
  });

  private static HistoryEntry entry(long offset) {
    Delivery d = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, "gw.c",
        Buffer.buffer("x"), 0, null, "r", 0, 0, offset);
    return new HistoryEntry(d, ReplayRequest.connection("gw.c"), 0, 0);
  }

  private static ConsumerRecord<String, byte[]> record(long offset) {
    return new ConsumerRecord<>("t", 0, offset, "k" + offset, new byte[0]);
  }

  @Test
  void aReleasedPushIsNeverDeadLetteredAndAnUnreleasedOneIsOnceAfterTheGrace() {
    HistoryEntry replayed = entry(1);
    HistoryEntry missed = entry(2);
    HistoryEntry alsoOnASocket = entry(3);
    held.hold(replayed, record(1), Outcome.held(List.of("s1"), 1_000, false));
    held.hold(missed, record(2), Outcome.held(List.of("s1", "s2"), 1_000, false));
    held.hold(alsoOnASocket, record(3), Outcome.held(List.of("s1"), 1_000, true));
    assertEquals(2, held.pending());
    held.release("s1", Set.of(replayed)); // missed was evicted from the history: not in the answer
    assertEquals(1, held.pending());
    held.expire(1_099);
    assertEquals(List.of(), deadLettered, "not before heldUntil + grace");
    held.expire(1_100);
    held.expire(5_000);
    assertEquals(List.of("0:2 session-expired k2"), deadLettered);
    assertEquals(0, held.pending());
    assertEquals(1, meters.find("wx.bridge.held.released").counter().count());
    assertEquals(1, meters.find("wx.outbound.delivered").counter().count());
  }

  /** A record read back from Kafka at {@code timestamp}, with a header and the value "x". */
  private static HistoryEntry readBack(long offset, long timestamp) {
    var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
    headers.add("h", new byte[3]);
    return HistoryEntry.rebuilt(entry(offset).delivery, ReplayRequest.connection("gw.c"), new ConsumerRecord<>("t", 0,
        offset, timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 2, 1, "k" + offset,
        "x".getBytes(), headers, java.util.Optional.empty()));
  }

  @Test
  void aSessionEndedWithoutResumingHasItsHeldAndItsReadBackPushesDeadLetteredNowAndOnce() {
    HistoryEntry heldHere = entry(1);
    held.hold(heldHere, record(1), Outcome.held(List.of("s1"), 60_000, false));
    HistoryEntry readBack = readBack(2, 5_000);
    HistoryEntry readBackLongBefore = readBack(3, 5_000 - PushHistory.SKEW_MARGIN_MS - 1);
    HistoryEntry deliveredLive = entry(4);
    HistoryEntry heldForAnother = entry(5);
    held.hold(heldForAnother, record(5), Outcome.held(List.of("s2"), 60_000, false));
    List<HistoryEntry> missed = List.of(heldHere, readBack, readBackLongBefore, deliveredLive, heldForAnother);

    held.sessionEnded("s1", missed, 5_000, 6_000);
    assertEquals(Set.of("0:1 session-expired k1", "0:2 session-expired k2 x 3"), Set.copyOf(deadLettered),
        "held here, and read back after the suspension with its value and headers; not the one consumed "
            + "before it, not one a socket got, not one held for another session");
    held.sessionEnded("s1", missed, 5_000, 7_000);
    held.expire(59_000);
    assertEquals(2, deadLettered.size(), "once");
    assertEquals(1, held.pending(), "s2's");
  }

  @Test
  void marksOfARevokedPartitionAreDropped() {
    held.hold(entry(1), record(1), Outcome.held(List.of("s1"), 1_000, false));
    held.revoked(0);
    held.expire(10_000);
    assertEquals(List.of(), deadLettered);
    assertEquals(0, held.pending());
  }

  /**
   * A resume's replay can be answered while a push it carries is still on its way to the old node,
   * whose placeholder then answers "held": the phone has it already, so the hold that comes after the
   * replay is no hold at all (it was dead-lettered session-expired at the window's end, a false report
   * of a push the phone got), while one for another session of the user still holds.
   */
  @Test
  void aHoldThatComesAfterTheSessionsReplayCarriedThePushIsDeliveredNotHeld() {
    HistoryEntry replayedFirst = entry(1);
    HistoryEntry alsoForAnother = entry(2);
    held.release("s1", Set.of(replayedFirst, alsoForAnother));
    held.hold(replayedFirst, record(1), Outcome.held(List.of("s1"), 1_000, false));
    held.hold(alsoForAnother, record(2), Outcome.held(List.of("s1", "s2"), 1_000, false));
    held.expire(60_000);
    assertEquals(List.of("0:2 session-expired k2"), deadLettered, "only s2's hold, which no replay released");
    assertEquals(List.of("s2"), alsoForAnother.heldFor);
    assertEquals(1, meters.find("wx.outbound.delivered").counter().count(), "the replayed push counts as delivered");
    assertEquals(0, held.pending());
  }
}
