package io.wxgateway.bridge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The recent pushes of one partition, oldest first, indexed by target key, and its coverage: from
 * which offset and which consumption time on every push of the partition is here. Coverage starts
 * unknown (nothing consumed since the assignment), is set by the first push consumed or by a rebuild,
 * and moves forward as the oldest pushes are evicted. Event loop only.
 */
final class PartitionHistory {

  private final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
  private final Map<String, ArrayDeque<HistoryEntry>> byKey = new HashMap<>();
  /** Every push at or after this offset is here; -1 while unknown. */
  private long coveredFromOffset = -1;
  /** Every push consumed at or after this time is here. */
  private long coveredFromTime;
  private long bytes;

  PartitionHistory(long assignedAt) {
    this.coveredFromTime = assignedAt;
  }

  /** Appends a push consumed live; a push at or below the newest offset (consumed again after a rewind) is skipped. */
  boolean add(HistoryEntry entry) {
    HistoryEntry newest = entries.peekLast();
    if (newest != null && entry.offset() <= newest.offset()) {
      return false;
    }
    if (coveredFromOffset < 0) {
      coveredFromOffset = entry.offset();
    }
    entries.addLast(entry);
    byKey.computeIfAbsent(entry.key, k -> new ArrayDeque<>()).addLast(entry);
    bytes += entry.bytes;
    return true;
  }

  /**
   * Puts the rebuilt pushes (oldest first, all below the live ones) before what was consumed live,
   * and sets the coverage to what the rebuild read: from {@code fromOffset} and {@code fromTime}.
   */
  void prepend(List<HistoryEntry> rebuilt, long fromOffset, long fromTime) {
    long firstLive = entries.isEmpty() ? Long.MAX_VALUE : entries.peekFirst().offset();
    for (int i = rebuilt.size() - 1; i >= 0; i--) {
      HistoryEntry e = rebuilt.get(i);
      if (e.offset() < firstLive) {
        entries.addFirst(e);
        byKey.computeIfAbsent(e.key, k -> new ArrayDeque<>()).addFirst(e);
        bytes += e.bytes;
      }
    }
    coveredFromOffset = fromOffset;
    coveredFromTime = fromTime;
  }

  /** Drops the oldest push, moving the coverage past it; null when empty. */
  HistoryEntry evictOldest() {
    HistoryEntry oldest = entries.pollFirst();
    if (oldest == null) {
      return null;
    }
    ArrayDeque<HistoryEntry> forKey = byKey.get(oldest.key);
    forKey.pollFirst();
    if (forKey.isEmpty()) {
      byKey.remove(oldest.key);
    }
    bytes -= oldest.bytes;
    oldest.evicted = true;
    coveredFromOffset = oldest.offset() + 1;
    coveredFromTime = Math.max(coveredFromTime, oldest.consumedAt + 1);
    return oldest;
  }

  /** Evicts every push consumed before {@code cutoff}; each one evicted goes to {@code evicted}. */
  void evictOlderThan(long cutoff, Consumer<HistoryEntry> evicted) {
    while (!entries.isEmpty() && entries.peekFirst().consumedAt < cutoff) {
      evicted.accept(evictOldest());
    }
  }

  /** The pushes to {@code key}, oldest first (a view: do not keep it across events). */
  Iterable<HistoryEntry> forKey(String key) {
    ArrayDeque<HistoryEntry> forKey = byKey.get(key);
    return forKey == null ? List.of() : forKey;
  }

  /** Every push, oldest first, as a copy. */
  List<HistoryEntry> all() {
    return new ArrayList<>(entries);
  }

  /** Whether every push after {@code acked} is here. */
  boolean coversAfter(long acked) {
    return coveredFromOffset >= 0 && coveredFromOffset <= acked + 1;
  }

  /** Whether every push consumed at or after {@code since} is here. */
  boolean coversSince(long since) {
    return coveredFromTime <= since;
  }

  long coveredFromOffset() {
    return coveredFromOffset;
  }

  long coveredFromTime() {
    return coveredFromTime;
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return entries.size();
  }
}
