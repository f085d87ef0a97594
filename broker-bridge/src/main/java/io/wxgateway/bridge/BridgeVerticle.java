package io.wxgateway.bridge;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.wxgateway.common.bus.BusCodecs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the outbound topic in a loop: poll a batch, account for every record (delivered or
 * dead-lettered), commit, poll again. Offsets are committed only after the whole batch is accounted
 * for; a batch that could not be (the dead-letter topic refused a write) is consumed again after a
 * back-off, so delivery is at-least-once. All of it runs on this verticle's event loop; the Kafka
 * consumer's blocking calls run on the Vert.x Kafka client's own thread.
 */
final class BridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);

  private final BridgeNode node;
  private KafkaReadStream<String, byte[]> consumer;
  private DeadLetterWriter deadLetters;
  private BatchProcessor processor;
  private boolean stopping;
  private Promise<Void> loopEnded;

  BridgeVerticle(BridgeNode node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx);
    Map<String, Object> config = new HashMap<>(node.kafka().consumerConfig(node.options().getGroupId(),
        "wx-bridge-" + node.clientId()));
    consumer = KafkaReadStream.create(vertx, config);
    node.metrics().lagFrom(new ConsumerLag(consumer.unwrap()));
    deadLetters = new DeadLetterWriter(vertx, node.kafka().producerConfig("wx-bridge-dlq-" + node.clientId()),
        node.kafka().getDeadLetterTopic());
    DeliveryRouter router = new DeliveryRouter(vertx, node.options().getDeliveryTimeoutMs(), node.metrics(),
        node.localGatewayNodeId());
    processor = new BatchProcessor(router, deadLetters, node.metrics());
    loopEnded = Promise.promise();
    return consumer.subscribe(Set.of(node.kafka().getOutboundTopic())).onSuccess(v -> pollLoop());
  }

  /** Finishes the batch in hand (its offsets get committed), then closes the clients. */
  @Override
  public Future<?> stop() {
    stopping = true;
    return loopEnded.future().eventually(() -> Future.join(consumer.close(), deadLetters.close()));
  }

  private void pollLoop() {
    if (stopping) {
      loopEnded.tryComplete();
      return;
    }
    consumer.poll(Duration.ofMillis(node.options().getPollTimeoutMs()))
        .compose(records -> records.isEmpty() ? Future.succeededFuture()
            : processor.process(records).compose(v -> commit(records)).recover(e -> retryLater(records, e)))
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.warn("outbound consumer failed: {}; polling again in {} ms", ar.cause().toString(),
                node.options().getRetryBackoffMs());
            vertx.setTimer(node.options().getRetryBackoffMs(), t -> pollLoop());
          } else {
            pollLoop();
          }
        });
  }

  private Future<Void> commit(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
    }
    // A failed commit (say, the partition moved to another bridge) is not retried: the new owner
    // consumes those records again, which at-least-once allows.
    return consumer.commit(offsets).<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("commit of {} failed: {}; those records will be consumed again", offsets, e.toString());
          return Future.succeededFuture();
        });
  }

  /** Rewinds every partition of the batch to its first record, so that none is skipped. */
  private Future<Void> retryLater(ConsumerRecords<String, byte[]> records, Throwable cause) {
    LOG.warn("could not account for a batch of {} records ({}); consuming it again", records.count(),
        cause.toString());
    List<Future<Void>> seeks = records.partitions().stream()
        .map(p -> consumer.seek(p, records.records(p).get(0).offset())).toList();
    return Future.join(seeks).transform(ar -> Future.failedFuture(cause));
  }
}
