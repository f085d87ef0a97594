package io.wxgateway.bridge;

import java.util.List;

import io.wxgateway.common.bus.Delivery;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One push in a partition's history: the delivery as decoded (with its position), when it was
 * consumed, its estimated size, and, while suspended sessions hold it, what the holds need. Mutable
 * only on the bridge verticle's event loop.
 */
final class HistoryEntry {

  /** Bytes counted for an entry besides its payload and headers: objects, indexes, queue slots. */
  static final int OVERHEAD_BYTES = 256;

  final Delivery delivery;
  final String key;
  final long consumedAt;
  final int bytes;
  /** Sessions the push is held for; empty when none. */
  List<String> heldFor = List.of();
  /** The latest expiry of those sessions, epoch milliseconds. */
  long heldUntil;
  /** The original record, kept while held (a dead letter needs its key, value and headers). */
  ConsumerRecord<String, byte[]> record;
  /** False when the push also reached a socket: a hold then never ends in a dead letter. */
  boolean deadLetterOnExpiry;
  /** Sessions whose replay carried it, so that a hold for them answered later holds nothing; empty when none. */
  List<String> replayedTo = List.of();
  /** Set once a replay to one of its sessions released it: it counts as delivered, it is never dead-lettered. */
  boolean released;
  /** Set once it is being (or was) dead-lettered session-expired: no replay gets it as held any more. */
  boolean expired;
  /**
   * Set when its delivery was dead-lettered (no node held its target: user-offline, connection-not-found,
   * node-unreachable ...): the backend was told it did not arrive, so no replay sends it after all.
   */
  boolean deadLettered;

  /** Set once it left its partition's history (by age or bytes): the {@link EvictionOrder} skips it. */
  boolean evicted;

  /**
   * Set when the entry was read back from Kafka (a rebuild): the record without its value (the
   * delivery holds the payload), so that a dead letter can still carry the original key and headers.
   * Its outcome at consumption is unknown here: the holds, if any, were another bridge's.
   */
  ConsumerRecord<String, byte[]> rebuiltFrom;

  HistoryEntry(Delivery delivery, String key, long consumedAt, int headerBytes) {
    this.delivery = delivery;
    this.key = key;
    this.consumedAt = consumedAt;
    this.bytes = delivery.payload().length() + headerBytes + OVERHEAD_BYTES;
  }

  /** An entry read back from Kafka: see {@link #rebuiltFrom}. */
  static HistoryEntry rebuilt(Delivery delivery, String key, ConsumerRecord<String, byte[]> record) {
    HistoryEntry entry = new HistoryEntry(delivery, key, record.timestamp(), headerBytes(record));
    entry.rebuiltFrom = new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
        record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(), null,
        record.headers(), record.leaderEpoch());
    return entry;
  }

  /** Whether it was read back from Kafka and no hold of this bridge's marks it. */
  boolean rebuiltUnmarked() {
    return rebuiltFrom != null && heldFor.isEmpty();
  }

  /** The original record, for a dead letter: the one kept while held, or the rebuilt one with its value again. */
  ConsumerRecord<String, byte[]> original() {
    if (record != null || rebuiltFrom == null) {
      return record;
    }
    ConsumerRecord<String, byte[]> r = rebuiltFrom;
    return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
        r.serializedKeySize(), r.serializedValueSize(), r.key(), delivery.payload().getBytes(), r.headers(),
        r.leaderEpoch());
  }

  long offset() {
    return delivery.offset();
  }

  int partition() {
    return delivery.partition();
  }

  boolean heldFor(String sessionId) {
    return heldFor.contains(sessionId);
  }

  /** The estimated header bytes of a record: names and values. */
  static int headerBytes(ConsumerRecord<String, byte[]> record) {
    int bytes = record.key() == null ? 0 : record.key().length();
    for (var h : record.headers()) {
      bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return bytes;
  }
}
