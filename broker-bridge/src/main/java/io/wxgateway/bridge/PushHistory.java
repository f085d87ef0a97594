package io.wxgateway.bridge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.wxgateway.common.bus.ReplayRequest;

/**
 * The recent pushes of every partition this bridge owns, for replay to resumed sessions
 * (docs/sessions.md): bounded by {@code maxBytes} over all partitions (the oldest consumed go first)
 * and by {@code maxAgeMs}. A partition's history is created on assignment (or by its first push) and
 * dropped on revocation. Event loop only; the totals are readable from any thread (gauges), published
 * once per change with a release store rather than a volatile write per push.
 */
final class PushHistory {

  /** How much earlier than a request's {@code sinceMs} the history must reach: clocks of nodes differ. */
  static final long SKEW_MARGIN_MS = 5_000;

  /** What a replay request gets from this history. */
  record Replay(List<HistoryEntry> pushes, boolean complete, String detail) { }

  private final long maxBytes;
  private final long maxAgeMs;
  private final BridgeMetrics metrics;
  private final Map<Integer, PartitionHistory> partitions = new HashMap<>();
  private final EvictionOrder order = new EvictionOrder();
  private long bytes;
  private int pushes;
  private final AtomicLong publishedBytes = new AtomicLong();
  private final AtomicInteger publishedPushes = new AtomicInteger();

  PushHistory(long maxBytes, long maxAgeMs, BridgeMetrics metrics) {
    this.maxBytes = maxBytes;
    this.maxAgeMs = maxAgeMs;
    this.metrics = metrics;
  }

  void assigned(int partition, long now) {
    partitions.computeIfAbsent(partition, p -> new PartitionHistory(now));
  }

  /** The partition went to another bridge: its pushes are dropped (and with them its held marks). */
  void revoked(int partition) {
    PartitionHistory gone = partitions.remove(partition);
    if (gone != null) {
      bytes -= gone.bytes();
      pushes -= gone.size();
      order.dropPartition(partition);
      publish();
    }
  }

  Set<Integer> partitions() {
    return partitions.keySet();
  }

  PartitionHistory partition(int partition) {
    return partitions.get(partition);
  }

  /** Keeps a push consumed live; false when the history is disabled or already has it. Cheap: O(1) amortized. */
  boolean add(HistoryEntry entry, long now) {
    if (maxBytes == 0) {
      return false;
    }
    PartitionHistory history = partitions.computeIfAbsent(entry.partition(), p -> new PartitionHistory(now));
    if (!history.add(entry)) {
      return false;
    }
    order.added(entry);
    bytes += entry.bytes;
    pushes++;
    evictBytes(); // by age on the bridge's periodic tick only: this is the hot path
    publish();
    return true;
  }

  /** Puts a rebuild's pushes in front of a partition's live ones and sets its coverage. */
  void rebuilt(int partition, List<HistoryEntry> entries, long fromOffset, long fromTime, long now) {
    PartitionHistory history = partitions.get(partition);
    if (history == null || maxBytes == 0) {
      return; // revoked meanwhile, or disabled
    }
    long before = history.bytes();
    int countBefore = history.size();
    history.prepend(entries, fromOffset, fromTime);
    bytes += history.bytes() - before;
    pushes += history.size() - countBefore;
    order.reorder(partitions.values());
    evict(now);
  }

  /** Evicts by age, then the oldest consumed over all partitions until within {@code maxBytes}. */
  void evict(long now) {
    long cutoff = now - maxAgeMs;
    for (PartitionHistory history : partitions.values()) {
      history.evictOlderThan(cutoff, this::evicted);
    }
    order.compact(pushes);
    evictBytes();
    publish();
  }

  /** The oldest consumed over all partitions ({@link EvictionOrder}) until within {@code maxBytes}. */
  private void evictBytes() {
    while (bytes > maxBytes) {
      HistoryEntry next = order.next();
      if (next == null) {
        return;
      }
      PartitionHistory history = partitions.get(next.partition());
      if (history == null) {
        continue; // not reached: a revocation drops its partition's pushes from the order
      }
      HistoryEntry e = history.evictOldest(); // next itself: the order keeps each partition's order
      bytes -= e.bytes;
      pushes--;
      metrics.historyEvicted(false);
    }
  }

  private void evicted(HistoryEntry e) {
    bytes -= e.bytes;
    pushes--;
    metrics.historyEvicted(true);
  }

  /**
   * The pushes {@code request} asks for in the partitions {@code owned}, by position once, ordered by
   * offset within a partition and by record time across partitions, and whether the history reaches
   * back far enough in each. Pushes held for the request's session are in, whatever their offset.
   */
  Replay replay(ReplayRequest request, Set<Integer> owned) {
    List<HistoryEntry> found = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    if (maxBytes == 0) {
      gaps.add("history disabled on this bridge (bridge.historyMaxBytes = 0)");
    }
    long since = request.sinceMs() - SKEW_MARGIN_MS;
    for (int partition : owned) {
      PartitionHistory history = partitions.get(partition);
      Long acked = request.acked().get(partition);
      if (history == null) {
        if (maxBytes != 0) {
          gaps.add("partition " + partition + ": no history");
        }
        continue;
      }
      Set<HistoryEntry> inPartition = new LinkedHashSet<>();
      for (String key : request.targets()) {
        for (HistoryEntry e : history.forKey(key)) {
          if (e.deadLettered) {
            continue; // its one outcome is the dead letter
          }
          boolean wanted = acked != null ? e.offset() > acked : e.consumedAt >= since;
          if (wanted || (e.heldFor(request.sessionId()) && !e.expired)) {
            inPartition.add(e);
          }
        }
      }
      found.addAll(inPartition);
      if (maxBytes != 0 && acked != null && !history.coversAfter(acked)) {
        gaps.add("partition " + partition + ": history starts at offset " + history.coveredFromOffset()
            + ", after " + (acked + 1));
      } else if (maxBytes != 0 && acked == null && !history.coversSince(since)) {
        gaps.add("partition " + partition + ": history starts at " + history.coveredFromTime() + " ms, after "
            + since);
      }
    }
    found.sort(Comparator.comparingLong((HistoryEntry e) -> e.delivery.createdAt())
        .thenComparingInt(HistoryEntry::partition).thenComparingLong(HistoryEntry::offset));
    found = inOffsetOrder(found);
    return new Replay(found, gaps.isEmpty(), gaps.isEmpty() ? null : String.join("; ", gaps));
  }

  /**
   * Record times within a partition may go backwards (producers' clocks): after sorting by time, each
   * partition's pushes are put back in offset order in the slots that partition occupies.
   */
  private static List<HistoryEntry> inOffsetOrder(List<HistoryEntry> byTime) {
    Map<Integer, List<HistoryEntry>> perPartition = new HashMap<>();
    byTime.forEach(e -> perPartition.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add(e));
    perPartition.values().forEach(l -> l.sort(Comparator.comparingLong(HistoryEntry::offset)));
    Map<Integer, Integer> next = new HashMap<>();
    List<HistoryEntry> ordered = new ArrayList<>(byTime.size());
    for (HistoryEntry e : byTime) {
      int i = next.merge(e.partition(), 1, Integer::sum) - 1;
      ordered.add(perPartition.get(e.partition()).get(i));
    }
    return ordered;
  }

  private void publish() {
    publishedBytes.lazySet(bytes);
    publishedPushes.lazySet(pushes);
  }

  /** Any thread. */
  long bytes() {
    return publishedBytes.get();
  }

  /** Any thread. */
  int pushes() {
    return publishedPushes.get();
  }

  /** Entries in the eviction order, evicted ones not yet dropped included (tests). */
  int queuedForEviction() {
    return order.queued();
  }
}
