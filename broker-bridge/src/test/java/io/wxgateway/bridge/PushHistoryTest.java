package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayRequest;
import org.junit.jupiter.api.Test;

/** The replay history's bounds, eviction order, coverage and what a request gets from it. */
class PushHistoryTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final BridgeMetrics metrics = new BridgeMetrics(meters);

  private static HistoryEntry entry(int partition, long offset, String user, long at, int payloadBytes) {
    Delivery d = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.USER, user,
        Buffer.buffer(new byte[payloadBytes]), 0, null, "r" + offset, at, partition, offset);
    return new HistoryEntry(d, ReplayRequest.user(user), at, 0);
  }

  private static ReplayRequest request(Map<Integer, Long> acked, long since, String... users) {
    return new ReplayRequest("q", "s1", "reply", List.of(users).stream().map(ReplayRequest::user).toList(), acked,
        since);
  }

  private static List<Long> offsets(PushHistory.Replay replay) {
    return replay.pushes().stream().map(HistoryEntry::offset).toList();
  }

  @Test
  void bytesBoundEvictsTheOldestConsumedAcrossPartitionsAndMovesCoverage() {
    int each = 100 + HistoryEntry.OVERHEAD_BYTES;
    PushHistory history = new PushHistory(3L * each, 60_000, metrics);
    history.add(entry(0, 10, "ann", 1_000, 100), 1_000);
    history.add(entry(1, 5, "ann", 1_001, 100), 1_001);
    history.add(entry(0, 11, "ann", 1_002, 100), 1_002);
    assertEquals(3, history.pushes());
    history.add(entry(1, 6, "ann", 1_003, 100), 1_003);
    assertEquals(3, history.pushes());
    assertEquals(3L * each, history.bytes());
    assertEquals(1, meters.find("wx.bridge.history.evicted").tag("cause", "bytes").counter().count());
    assertEquals(11, history.partition(0).coveredFromOffset(), "the evicted push is no longer covered");
    PushHistory.Replay replay = history.replay(request(Map.of(0, 9L, 1, 4L), 0, "ann"), Set.of(0, 1));
    assertFalse(replay.complete(), "partition 0 asked from offset 10, which was evicted");
    assertTrue(replay.detail().contains("partition 0"), replay.detail());
    assertTrue(history.replay(request(Map.of(0, 10L, 1, 4L), 0, "ann"), Set.of(0, 1)).complete());
  }

  @Test
  void ageBoundEvictsPushesConsumedTooLongAgo() {
    PushHistory history = new PushHistory(1 << 20, 1_000, metrics);
    history.add(entry(0, 1, "ann", 1_000, 10), 1_000);
    history.add(entry(0, 2, "ann", 1_500, 10), 1_500);
    history.evict(2_200);
    assertEquals(1, history.pushes());
    assertEquals(2, history.partition(0).coveredFromOffset());
    assertEquals(1, meters.find("wx.bridge.history.evicted").tag("cause", "age").counter().count());
  }

  @Test
  void aReplayGetsTheTargetsPushesAfterAckedOrSinceOrderedByOffsetAndTime() {
    PushHistory history = new PushHistory(1 << 20, 600_000, metrics);
    history.assigned(0, 0);
    history.assigned(1, 0);
    history.add(entry(0, 1, "ann", 10_000, 1), 10_000);
    history.add(entry(1, 1, "bob", 10_001, 1), 10_001);
    history.add(entry(1, 2, "ann", 10_002, 1), 10_002);
    history.add(entry(0, 2, "ann", 10_003, 1), 10_003);
    history.add(entry(0, 3, "ann", 10_004, 1), 10_004);
    PushHistory.Replay replay = history.replay(request(Map.of(0, 1L), 10_002, "ann"), Set.of(0, 1));
    assertEquals(List.of(2L, 2L, 3L), offsets(replay));
    assertEquals(List.of(1, 0, 0), replay.pushes().stream().map(HistoryEntry::partition).toList());
    assertTrue(replay.complete(), replay.detail());
    assertEquals(List.of(2L), offsets(history.replay(request(Map.of(0, 1L), 10_002, "ann"), Set.of(1))),
        "only the partitions asked about");
  }

  @Test
  void coverageIsUnknownUntilAPushIsConsumedAndAReplayFromBeforeTheAssignmentIsIncomplete() {
    PushHistory history = new PushHistory(1 << 20, 600_000, metrics);
    history.assigned(0, 50_000);
    assertFalse(history.replay(request(Map.of(0, 3L), 0, "ann"), Set.of(0)).complete());
    assertFalse(history.replay(request(Map.of(), 40_000, "ann"), Set.of(0)).complete());
    assertTrue(history.replay(request(Map.of(), 60_000, "ann"), Set.of(0)).complete());
    history.rebuilt(0, List.of(entry(0, 2, "ann", 30_000, 1)), 2, 20_000, 50_000);
    assertTrue(history.replay(request(Map.of(0, 1L), 0, "ann"), Set.of(0)).complete());
    assertEquals(List.of(2L), offsets(history.replay(request(Map.of(0, 1L), 0, "ann"), Set.of(0))));
    history.revoked(0);
    assertEquals(0, history.pushes());
  }

  @Test
  void aPushWhoseDeliveryWasDeadLetteredIsNeverReplayed() {
    PushHistory history = new PushHistory(1 << 20, 600_000, metrics);
    history.assigned(0, 0);
    HistoryEntry offline = entry(0, 1, "ann", 10_000, 1);
    history.add(offline, 10_000);
    history.add(entry(0, 2, "ann", 10_001, 1), 10_001);
    offline.deadLettered = true; // user-offline: the backend was told, and may send it again itself
    PushHistory.Replay replay = history.replay(request(Map.of(0, 0L), 0, "ann"), Set.of(0));
    assertEquals(List.of(2L), offsets(replay));
    assertTrue(replay.complete(), "left out by choice, not a gap: " + replay.detail());
  }

  @Test
  void zeroBytesDisablesTheHistory() {
    PushHistory history = new PushHistory(0, 600_000, metrics);
    assertFalse(history.add(entry(0, 1, "ann", 1, 1), 1));
    PushHistory.Replay replay = history.replay(request(Map.of(), 0, "ann"), Set.of());
    assertFalse(replay.complete());
  }
}
