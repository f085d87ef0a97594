package io.wxgateway.bridge;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The polled batches that are not committed yet, oldest first. A batch is settled once every record
 * in it is accounted for (delivered or dead-lettered) or once it failed (a dead letter could not be
 * written). What may be committed is the offsets after the longest prefix of settled, successful
 * batches: a later batch finishing first never lets an earlier record go uncommitted-but-skipped.
 * Used only on the bridge verticle's event loop.
 */
final class InFlightBatches {

  /** One polled batch; the handle {@link #settle} takes. */
  static final class Batch {
    private final ConsumerRecords<String, byte[]> records;
    private boolean settled;
    private boolean failed;
    /** Forgotten before it settled (a revocation gave up waiting): its settling changes nothing. */
    private boolean abandoned;

    private Batch(ConsumerRecords<String, byte[]> records) {
      this.records = records;
    }
  }

  private final ArrayDeque<Batch> batches = new ArrayDeque<>();
  private int records;

  Batch add(ConsumerRecords<String, byte[]> polled) {
    Batch batch = new Batch(polled);
    batches.addLast(batch);
    records += polled.count();
    return batch;
  }

  /** Holds records that were polled but will not be delivered now: they only mark where to rewind. */
  void addUndelivered(ConsumerRecords<String, byte[]> polled) {
    Batch batch = new Batch(polled);
    batch.settled = true;
    batch.failed = true;
    batches.addLast(batch);
  }

  void settle(Batch batch, boolean succeeded) {
    if (batch.abandoned) {
      return;
    }
    batch.settled = true;
    batch.failed = !succeeded;
    records -= batch.records.count();
  }

  /** Records of batches not settled yet. */
  int unsettledRecords() {
    return records;
  }

  boolean isEmpty() {
    return batches.isEmpty();
  }

  /** True when nothing is held, too. */
  boolean allSettled() {
    return batches.stream().allMatch(b -> b.settled);
  }

  /** Whether the oldest batch failed: nothing after it may be committed until it is consumed again. */
  boolean oldestFailed() {
    return !batches.isEmpty() && batches.peekFirst().failed;
  }

  /**
   * Removes the settled, successful batches at the head and returns the offsets that commit them
   * (the next offset to consume, per partition); empty when the head is not settled or failed.
   */
  Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    while (!batches.isEmpty() && batches.peekFirst().settled && !batches.peekFirst().failed) {
      ConsumerRecords<String, byte[]> done = batches.pollFirst().records;
      for (TopicPartition partition : done.partitions()) {
        List<ConsumerRecord<String, byte[]>> inPartition = done.records(partition);
        offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
      }
    }
    return offsets;
  }

  /**
   * Forgets every batch, settled or not, and returns, per partition, the first offset they held: where
   * to seek so that none of their records is skipped.
   */
  Map<TopicPartition, Long> clearToFirstOffsets() {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (Batch batch : batches) {
      batch.abandoned = true;
      for (TopicPartition partition : batch.records.partitions()) {
        first.putIfAbsent(partition, batch.records.records(partition).get(0).offset());
      }
    }
    batches.clear();
    records = 0;
    return first;
  }
}
