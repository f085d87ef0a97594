package io.wxgateway.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.common.codec.InvalidRecordException;
import io.wxgateway.common.codec.OutboundRecordDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a newly assigned partition's recent pushes back into the history: from
 * {@code offsetsForTimes(now - maxAgeMs)} up to the offset the bridge's consumer starts at (its
 * committed offset), with a consumer of its own in assign mode (no group), on a worker thread, never
 * the event loop. Keeps track of the rebuilds under way so that replays touching them can wait.
 * {@link #rebuild} and {@link #await} are called on the bridge verticle's event loop.
 */
final class HistoryRebuilder {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryRebuilder.class);
  /** How long one rebuild may read before it gives up (the partition then stays covered from its live pushes). */
  static final long READ_LIMIT_MS = 30_000;

  /** What a rebuild read: its pushes oldest first, and the offset and time they cover from. */
  record Rebuilt(List<HistoryEntry> entries, long fromOffset, long fromTime) { }

  private final Vertx vertx;
  private final Map<String, Object> config;
  private final long maxAgeMs;
  private final Map<Integer, Future<Void>> underWay = new HashMap<>();

  HistoryRebuilder(Vertx vertx, Map<String, Object> consumerConfig, long maxAgeMs) {
    this.vertx = vertx;
    this.config = new HashMap<>(consumerConfig);
    this.config.remove("group.id");
    this.config.put("client.id", consumerConfig.get("client.id") + "-rebuild");
    this.maxAgeMs = maxAgeMs;
  }

  /**
   * Reads {@code tp} up to {@code end} (exclusive; null: the group has no offset for it, the consumer
   * starts at the earliest record and reads everything itself) on a worker, then hands what it read
   * to {@code apply} on the event loop, before a replay waiting for it goes on. Fails when the read
   * did not reach {@code end} in time.
   */
  Future<Rebuilt> rebuild(TopicPartition tp, Future<Long> end, java.util.function.Consumer<Rebuilt> apply) {
    long since = System.currentTimeMillis() - maxAgeMs;
    Future<Rebuilt> read = end.compose(e -> e == null ? Future.succeededFuture(new Rebuilt(List.of(), 0, 0))
        : vertx.executeBlocking(() -> read(tp, since, e), false)).map(r -> {
          apply.accept(r);
          return r;
        });
    Future<Void> done = read.<Void>mapEmpty().otherwiseEmpty();
    underWay.put(tp.partition(), done);
    done.onComplete(v -> underWay.remove(tp.partition(), done));
    return read;
  }

  /** The partitions of {@code partitions} still being rebuilt after at most {@code waitMs}. */
  Future<Set<Integer>> await(Set<Integer> partitions, long waitMs) {
    List<Future<Void>> pending = partitions.stream().map(underWay::get).filter(f -> f != null).toList();
    if (pending.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    Promise<Set<Integer>> result = Promise.promise();
    long timer = vertx.setTimer(waitMs, t -> result.tryComplete(stillRebuilding(partitions)));
    Future.join(pending).onComplete(ar -> {
      vertx.cancelTimer(timer);
      result.tryComplete(stillRebuilding(partitions));
    });
    return result.future();
  }

  private Set<Integer> stillRebuilding(Set<Integer> partitions) {
    return Set.copyOf(partitions.stream().filter(underWay::containsKey).toList());
  }

  /** Worker thread only: blocking Kafka calls. */
  private Rebuilt read(TopicPartition tp, long since, long end) {
    OutboundRecordDecoder decoder = new OutboundRecordDecoder();
    List<HistoryEntry> entries = new ArrayList<>();
    Map<String, Object> own = new HashMap<>(config);
    own.put("client.id", config.get("client.id") + "-" + tp.partition()); // rebuilds run side by side
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(own)) {
      consumer.assign(List.of(tp));
      OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(tp, since)).get(tp);
      long from = start == null ? end : Math.min(start.offset(), end);
      consumer.seek(tp, from);
      long deadline = System.currentTimeMillis() + READ_LIMIT_MS;
      while (consumer.position(tp) < end) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("rebuild of " + tp + " did not reach offset " + end + " in "
              + READ_LIMIT_MS + " ms");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end) {
            add(entries, decoder, record);
          }
        }
      }
      LOG.info("rebuilt the history of {} from offset {} to {}: {} pushes", tp, from, end, entries.size());
      return new Rebuilt(entries, from, since);
    }
  }

  private static void add(List<HistoryEntry> entries, OutboundRecordDecoder decoder,
      ConsumerRecord<String, byte[]> record) {
    Delivery delivery;
    try {
      delivery = decoder.decode(record);
    } catch (InvalidRecordException e) {
      return; // dead-lettered when it was consumed; never replayed
    }
    String key = ReplayRequest.key(delivery);
    if (key != null && delivery.action() != Delivery.Action.CLOSE) {
      entries.add(HistoryEntry.rebuilt(delivery, key, record));
    }
  }
}
