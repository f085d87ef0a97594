package io.wxgateway.bridge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.Future;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.codec.InvalidRecordException;
import io.wxgateway.common.codec.OutboundRecordDecoder;
import io.wxgateway.common.contract.DeliveryError;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for every record of one polled batch: each is delivered or dead-lettered. Records for the
 * same target go one after the other, in partition order; different targets go concurrently. The
 * returned future fails only when a dead letter could not be written, in which case the batch must
 * not be committed. Runs on the bridge verticle's event loop.
 */
final class BatchProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

  private final OutboundRecordDecoder decoder = new OutboundRecordDecoder();
  private final DeliveryRouter router;
  private final DeadLetterWriter deadLetters;
  private final BridgeMetrics metrics;

  BatchProcessor(DeliveryRouter router, DeadLetterWriter deadLetters, BridgeMetrics metrics) {
    this.router = router;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
  }

  Future<Void> process(ConsumerRecords<String, byte[]> records) {
    Map<String, Future<Void>> chains = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      metrics.consumed.increment();
      Delivery delivery;
      try {
        delivery = decoder.decode(record);
      } catch (InvalidRecordException e) {
        chains.put("invalid:" + record.partition() + ":" + record.offset(),
            deadLetter(record, Outcome.failed(DeliveryError.INVALID_RECORD, e.getMessage())));
        continue;
      }
      String key = delivery.targetKind() + ":" + delivery.target();
      Future<Void> previous = chains.getOrDefault(key, Future.succeededFuture());
      chains.put(key, previous.transform(ignored -> deliver(record, delivery)));
    }
    // join, not all: the batch ends only when every record is accounted for, even after a failure.
    return Future.join(List.copyOf(chains.values())).mapEmpty();
  }

  private Future<Void> deliver(ConsumerRecord<String, byte[]> record, Delivery delivery) {
    return router.route(delivery).compose(outcome -> {
      if (outcome.delivered()) {
        metrics.delivered.increment();
        return Future.succeededFuture();
      }
      return deadLetter(record, outcome);
    });
  }

  private Future<Void> deadLetter(ConsumerRecord<String, byte[]> record, Outcome outcome) {
    LOG.debug("dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(),
        outcome.error().code(), outcome.detail());
    return deadLetters.write(record, outcome)
        .onSuccess(v -> metrics.deadLettered(outcome.error()))
        .onFailure(e -> LOG.warn("cannot write dead letter for {}-{}@{}: {}", record.topic(), record.partition(),
            record.offset(), e.toString()));
  }
}
