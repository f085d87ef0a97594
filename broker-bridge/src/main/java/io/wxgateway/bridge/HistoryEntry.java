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
  /** Set once a replay to one of its sessions released it: it counts as delivered, it is never dead-lettered. */
  boolean released;
  /** Set once it is being (or was) dead-lettered session-expired: no replay gets it as held any more. */
  boolean expired;

  HistoryEntry(Delivery delivery, String key, long consumedAt, int headerBytes) {
    this.delivery = delivery;
    this.key = key;
    this.consumedAt = consumedAt;
    this.bytes = delivery.payload().length() + headerBytes + OVERHEAD_BYTES;
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
