package io.wxgateway.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.Future;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.common.codec.InvalidRecordException;
import io.wxgateway.common.codec.OutboundRecordDecoder;
import io.wxgateway.common.contract.DeliveryError;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts for every record of a polled batch: each is delivered, dead-lettered, or HELD for suspended
 * sessions (accounted for now, released by a replay or dead-lettered later by {@link HeldPushes}); each
 * push to a user or a connection also goes into the replay {@link PushHistory}. Records for the
 * same target reach it in the order they were polled, also across batches in flight at the same
 * time: a connection's records keep their order by going, in that order, through the one
 * {@link NodeLink} of its node; a user's or a broadcast's nodes are looked up as soon as the record
 * is polled, concurrently with the lookups of the records before it, but each is handed over to its
 * links only after the previous one to the same target ({@link InOrder}): the lookups finishing out
 * of order cannot reorder the records. Different targets go concurrently. The returned future fails only when a
 * dead letter could not be written, in which case the batch must not be committed. Runs on the bridge
 * verticle's event loop.
 */
final class BatchProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

  private final OutboundRecordDecoder decoder = new OutboundRecordDecoder();
  private final DeliveryRouter router;
  private final DeadLetterWriter deadLetters;
  private final BridgeMetrics metrics;
  private final PushHistory history;
  private final HeldPushes held;
  /** Per user or broadcast target, the deliveries not yet handed over to their links, in order. */
  private final InOrder<Set<String>, Outcome> handOvers = new InOrder<>();

  BatchProcessor(DeliveryRouter router, DeadLetterWriter deadLetters, BridgeMetrics metrics, PushHistory history,
      HeldPushes held) {
    this.router = router;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.history = history;
    this.held = held;
  }

  Future<Void> process(ConsumerRecords<String, byte[]> records) {
    List<Future<Void>> accounted = new ArrayList<>(records.count());
    long now = System.currentTimeMillis();
    for (ConsumerRecord<String, byte[]> record : records) {
      metrics.consumed.increment();
      Delivery delivery;
      try {
        delivery = decoder.decode(record);
      } catch (InvalidRecordException e) {
        accounted.add(deadLetter(record, Outcome.failed(DeliveryError.INVALID_RECORD, e.getMessage())));
        continue;
      }
      HistoryEntry entry = remember(record, delivery, now);
      accounted.add(delivery.targetKind() == Delivery.TargetKind.CONNECTION ? deliver(record, delivery, entry)
          : after(delivery.targetKind() + ":" + delivery.target(), record, delivery, entry));
    }
    // join, not all: the batch ends only when every record is accounted for, even after a failure.
    return Future.join(accounted).mapEmpty();
  }

  /**
   * Starts the target's lookup now and hands over once it is done and the target's previous delivery
   * has been handed over to its nodes' links (which keep the order from there), not once that one
   * has been answered: a slow node delays only the answers, a slow lookup only its own deliveries.
   */
  private Future<Void> after(String key, ConsumerRecord<String, byte[]> record, Delivery delivery,
      HistoryEntry entry) {
    return account(record, entry,
        handOvers.add(key, router.lookup(delivery), nodes -> router.handOver(delivery, nodes)));
  }

  private Future<Void> deliver(ConsumerRecord<String, byte[]> record, Delivery delivery, HistoryEntry entry) {
    return account(record, entry, router.route(delivery));
  }

  /** A push to a user or a connection goes into the replay history (not a close, not a broadcast). */
  private HistoryEntry remember(ConsumerRecord<String, byte[]> record, Delivery delivery, long now) {
    String key = ReplayRequest.key(delivery);
    if (key == null || delivery.action() == Delivery.Action.CLOSE) {
      return null;
    }
    HistoryEntry entry = new HistoryEntry(delivery, key, now, HistoryEntry.headerBytes(record));
    history.add(entry, now);
    return entry;
  }

  /** Delivered or HELD is accounted for now; a HELD record is dead-lettered later if its sessions expire. */
  private Future<Void> account(ConsumerRecord<String, byte[]> record, HistoryEntry entry, Future<Outcome> outcome) {
    return outcome.compose(o -> {
      if (!o.heldFor().isEmpty() && entry != null) {
        held.hold(entry, record, o);
      }
      if (o.delivered() || o.held() && entry == null) { // a close held for a suspended session: nothing to replay
        metrics.delivered.increment();
        return Future.succeededFuture();
      }
      if (o.held()) {
        return Future.succeededFuture();
      }
      if (entry != null) {
        entry.deadLettered = true;
      }
      return deadLetter(record, o);
    });
  }

  /** Writes the session-expired dead letter of a push held too long (see {@link HeldPushes}). */
  Future<Void> expired(HistoryEntry entry, Outcome outcome) {
    return deadLetter(entry.original(), outcome);
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
