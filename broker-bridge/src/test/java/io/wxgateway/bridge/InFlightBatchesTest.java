package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Which offsets may be committed while several polled batches settle in any order. */
class InFlightBatchesTest {

  private static final TopicPartition P0 = new TopicPartition("wx.outbound", 0);
  private static final TopicPartition P1 = new TopicPartition("wx.outbound", 1);

  private final InFlightBatches batches = new InFlightBatches();

  @Test
  void aLaterBatchSettlingFirstCommitsNothingUntilTheEarlierOneSettles() {
    InFlightBatches.Batch first = batches.add(polled(P0, 0, 3));
    InFlightBatches.Batch second = batches.add(polled(P0, 3, 2, P1, 0, 4));
    assertEquals(9, batches.unsettledRecords());

    batches.settle(second, true);
    assertEquals(Map.of(), batches.takeCommittable());
    assertEquals(3, batches.unsettledRecords());

    batches.settle(first, true);
    assertEquals(Map.of(P0, new OffsetAndMetadata(5), P1, new OffsetAndMetadata(4)), batches.takeCommittable());
    assertTrue(batches.isEmpty());
  }

  @Test
  void aFailedBatchHoldsBackEverythingAfterItAndTheRewindStartsAtItsFirstRecords() {
    InFlightBatches.Batch ok = batches.add(polled(P0, 0, 2));
    InFlightBatches.Batch failed = batches.add(polled(P0, 2, 2));
    InFlightBatches.Batch later = batches.add(polled(P0, 4, 1, P1, 7, 1));
    batches.settle(ok, true);
    batches.settle(later, true);
    batches.settle(failed, false);

    assertEquals(Map.of(P0, new OffsetAndMetadata(2)), batches.takeCommittable());
    assertTrue(batches.oldestFailed());
    batches.addUndelivered(polled(P1, 8, 3));
    assertTrue(batches.allSettled());
    assertEquals(Map.of(P0, 2L, P1, 7L), batches.clearToFirstOffsets());
    assertTrue(batches.isEmpty());
    assertFalse(batches.oldestFailed());
    assertEquals(0, batches.unsettledRecords());
  }

  @Test
  void batchesAbandonedBeforeTheySettledChangeNothingWhenTheySettleLater() {
    InFlightBatches.Batch settled = batches.add(polled(P0, 0, 2));
    InFlightBatches.Batch inFlight = batches.add(polled(P0, 2, 3));
    batches.settle(settled, true);
    assertEquals(Map.of(P0, new OffsetAndMetadata(2)), batches.takeCommittable());
    assertEquals(Map.of(P0, 2L), batches.clearToFirstOffsets(), "consumed again from the first abandoned record");

    InFlightBatches.Batch next = batches.add(polled(P1, 0, 1));
    batches.settle(inFlight, true); // the abandoned batch's deliveries come back late
    assertEquals(1, batches.unsettledRecords(), "only the new batch counts");
    assertEquals(Map.of(), batches.takeCommittable(), "nothing of the abandoned batch is committed");
    batches.settle(next, true);
    assertEquals(Map.of(P1, new OffsetAndMetadata(1)), batches.takeCommittable());
  }

  /** Records {@code count} records per (partition, first offset, count) triple. */
  private static ConsumerRecords<String, byte[]> polled(Object... spec) {
    Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> records = new HashMap<>();
    for (int i = 0; i < spec.length; i += 3) {
      TopicPartition p = (TopicPartition) spec[i];
      List<ConsumerRecord<String, byte[]>> list = new ArrayList<>();
      for (int k = 0; k < (int) spec[i + 2]; k++) {
        list.add(new ConsumerRecord<>(p.topic(), p.partition(), (int) spec[i + 1] + k, "key", new byte[0]));
      }
      records.put(p, list);
    }
    return new ConsumerRecords<>(records);
  }
}
