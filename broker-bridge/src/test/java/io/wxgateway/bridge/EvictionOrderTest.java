package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayRequest;
import org.junit.jupiter.api.Test;

/**
 * The history's bytes bound evicts through {@link EvictionOrder} exactly what a scan for the oldest
 * consumed over all partitions evicts, through live pushes, age evictions, revocations and rebuilds;
 * and the order does not keep pushes evicted by age.
 */
class EvictionOrderTest {

  private static final int PARTITIONS = 6;

  /**
   * Times are in units of {@link #TICK}: live pushes are consumed on whole ticks, rebuilt ones (record times
   * up to 1.5 s before the clock) between them, each at its own time, so that no two pushes tie.
   */
  private static final long TICK = 10_000;
  private final BridgeMetrics metrics = new BridgeMetrics(new SimpleMeterRegistry());

  /** One push as the reference model keeps it. */
  private record Pushed(long offset, long at, int bytes) { }

  private static HistoryEntry entry(int partition, long offset, long at, int payloadBytes) {
    Delivery d = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.USER, "u" + (offset % 7),
        Buffer.buffer(new byte[payloadBytes]), 0, null, "r" + offset, at, partition, offset);
    return new HistoryEntry(d, ReplayRequest.user("u" + (offset % 7)), at, 0);
  }

  @Test
  void evictsWhatAScanOfThePartitionsOldestWouldEvict() {
    for (long seed = 1; seed <= 20; seed++) {
      runAgainstTheScan(new Random(seed), seed);
    }
  }

  private void runAgainstTheScan(Random random, long seed) {
    long maxBytes = 40L * (HistoryEntry.OVERHEAD_BYTES + 150);
    long maxAge = 3_000 * TICK;
    PushHistory history = new PushHistory(maxBytes, maxAge, metrics);
    Map<Integer, ArrayDeque<Pushed>> model = new TreeMap<>();
    long[] nextOffset = new long[PARTITIONS];
    Arrays.fill(nextOffset, 1_000);
    long clock = 10_000 * TICK;
    int rebuiltSeq = 0;
    for (int step = 0; step < 3_000; step++) {
      int p = random.nextInt(PARTITIONS);
      int op = random.nextInt(100);
      if (op < 80) {
        clock += TICK;
        HistoryEntry e = entry(p, nextOffset[p]++, clock, random.nextInt(300));
        history.add(e, clock);
        model.computeIfAbsent(p, k -> new ArrayDeque<>()).addLast(new Pushed(e.offset(), clock, e.bytes));
        evictBytes(model, maxBytes);
      } else if (op < 90) {
        clock += random.nextInt(200) * TICK;
        history.evict(clock);
        evictByAge(model, clock - maxAge);
        evictBytes(model, maxBytes);
      } else if (op < 95) {
        history.revoked(p);
        model.remove(p);
      } else if (history.partition(p) != null) {
        int count = random.nextInt(12);
        long at = clock - 1_500 * TICK + rebuiltSeq;
        rebuiltSeq += count;
        rebuild(history, model, p, count, at, clock);
        evictByAge(model, clock - maxAge);
        evictBytes(model, maxBytes);
      } else {
        history.assigned(p, clock);
        model.put(p, new ArrayDeque<>());
      }
      assertSame(model, history, "seed " + seed + ", step " + step);
    }
  }

  private static void rebuild(PushHistory history, Map<Integer, ArrayDeque<Pushed>> model, int p, int count,
      long at, long now) {
    ArrayDeque<Pushed> q = model.get(p);
    long firstLive = Math.max(count, q.isEmpty() ? history.partition(p).coveredFromOffset() : q.peekFirst().offset());
    List<HistoryEntry> rebuilt = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rebuilt.add(entry(p, firstLive - count + i, at + i, 100));
    }
    history.rebuilt(p, rebuilt, firstLive - count, at, now);
    for (int i = count - 1; i >= 0; i--) {
      HistoryEntry e = rebuilt.get(i);
      if (q.isEmpty() || e.offset() < q.peekFirst().offset()) {
        q.addFirst(new Pushed(e.offset(), e.consumedAt, e.bytes));
      }
    }
  }

  private static void evictByAge(Map<Integer, ArrayDeque<Pushed>> model, long cutoff) {
    model.values().forEach(q -> {
      while (!q.isEmpty() && q.peekFirst().at() < cutoff) {
        q.pollFirst();
      }
    });
  }

  /** The reference: the oldest of every partition's oldest, lowest partition on a tie (times are distinct here). */
  private static void evictBytes(Map<Integer, ArrayDeque<Pushed>> model, long maxBytes) {
    while (bytes(model) > maxBytes) {
      ArrayDeque<Pushed> oldest = null;
      for (ArrayDeque<Pushed> q : model.values()) {
        if (!q.isEmpty() && (oldest == null || q.peekFirst().at() < oldest.peekFirst().at())) {
          oldest = q;
        }
      }
      oldest.pollFirst();
    }
  }

  private static long bytes(Map<Integer, ArrayDeque<Pushed>> model) {
    return model.values().stream().flatMap(ArrayDeque::stream).mapToLong(Pushed::bytes).sum();
  }

  private static void assertSame(Map<Integer, ArrayDeque<Pushed>> model, PushHistory history, String where) {
    for (int p = 0; p < PARTITIONS; p++) {
      List<Long> expected = model.containsKey(p) ? model.get(p).stream().map(Pushed::offset).toList() : List.of();
      List<Long> actual = history.partition(p) == null ? List.of()
          : history.partition(p).all().stream().map(HistoryEntry::offset).toList();
      assertEquals(expected, actual, where + ": partition " + p);
    }
    assertEquals(bytes(model), history.bytes(), where + ": bytes");
    assertEquals(model.values().stream().mapToInt(ArrayDeque::size).sum(), history.pushes(), where + ": pushes");
  }

  @Test
  void pushesEvictedByAgeLeaveTheOrderOnTheTick() {
    PushHistory history = new PushHistory(1L << 40, 1_000, metrics);
    long now = 0;
    for (int i = 0; i < 20_000; i++) {
      now += 1;
      history.add(entry(i % PARTITIONS, i, now, 10), now);
      if (i % 100 == 99) {
        history.evict(now);
        assertEquals(history.pushes(), history.queuedForEviction(), "after the tick at " + now);
      }
    }
    assertEquals(1_001, history.pushes(), "the pushes of the last second, both ends in, one a millisecond");
  }
}
