package io.wxgateway.bridge;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.wxgateway.common.bus.BusCodecs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes the outbound topic as a pipeline: while the records of one poll are being delivered, the
 * next poll is already under way, up to {@code bridge.maxInFlightRecords} records not yet accounted
 * for (past it the bridge stops polling: a slow gateway node cannot make it buffer without bound).
 * Offsets are committed only after every record up to them is accounted for (delivered or
 * dead-lettered), at most one commit at a time and at most one per {@code bridge.commitIntervalMs},
 * the later ones merged. A batch that could not be accounted for (the dead-letter topic refused a
 * write) stops the pipeline: once everything in flight has settled, the consumer seeks back to the
 * first uncommitted record and consumes again after a back-off, so delivery is at-least-once. All of it runs on this verticle's event loop; the Kafka
 * consumer's blocking calls run on the Vert.x Kafka client's own thread.
 *
 * <p>When partitions move to another bridge, the revocation waits (on the consumer's thread, see
 * {@link GuardedConsumer}) until every dispatched record is accounted for, at most
 * {@code bridge.deliveryTimeoutMs} + {@value #REVOCATION_GRACE_MS} ms, and commits them: nothing
 * polled before is delivered after the new owner starts, and the new owner starts after it. Past that
 * wait the records still in flight are abandoned (their partitions consumed again from the commit).
 */
final class BridgeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeVerticle.class);
  /** Beyond the delivery timeout, how long a revocation waits for dead letters to be written. */
  static final long REVOCATION_GRACE_MS = 10_000;

  private final BridgeNode node;
  private final InFlightBatches inFlight = new InFlightBatches();
  private KafkaReadStream<String, byte[]> consumer;
  private GuardedConsumer guarded;
  private Context context;
  /** Set while a revocation waits for the in-flight records: completed with what to commit. */
  private CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> revocation;
  /** The offsets of the commit under way, if any: a revocation commits them again. */
  private Map<TopicPartition, OffsetAndMetadata> beingCommitted = Map.of();
  private volatile boolean closing;
  private DeadLetterWriter deadLetters;
  private BatchProcessor processor;
  private boolean stopping;
  private boolean polling;
  /** Polling is held: after a failed poll, or while rewinding after a failed batch. */
  private boolean held;
  /** Which hold may end it: a later hold (a rewind) outlives the timer of an earlier one (a failed poll). */
  private int holdGeneration;
  private boolean committing;
  private long lastCommitNanos;
  private long commitTimer = -1;
  private Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
  private Promise<Void> loopEnded;
  /** Replay to resumed sessions: history, holds, rebuilds, the endpoint. */
  private SessionHistory sessions;

  BridgeVerticle(BridgeNode node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx);
    Map<String, Object> config = new HashMap<>(node.kafka().consumerConfig(node.options().getGroupId(),
        "wx-bridge-" + node.clientId()));
    context = vertx.getOrCreateContext();
    guarded = new GuardedConsumer(config);
    guarded.onRevocation(this::settleBeforeRevocation);
    consumer = KafkaReadStream.create(vertx, guarded);
    node.metrics().lagFrom(new ConsumerLag(consumer.unwrap()));
    deadLetters = new DeadLetterWriter(vertx, node.kafka().producerConfig("wx-bridge-dlq-" + node.clientId()),
        node.kafka().getDeadLetterTopic());
    DeliveryRouter router = new DeliveryRouter(vertx, node.options(), node.metrics(),
        node.localGatewayNodeId());
    sessions = new SessionHistory(vertx, node, consumer, config, (e, o) -> processor.expired(e, o));
    processor = new BatchProcessor(router, deadLetters, node.metrics(), sessions.history, sessions.held);
    loopEnded = Promise.promise();
    return sessions.start().compose(v -> consumer.subscribe(Set.of(node.kafka().getOutboundTopic())))
        .onSuccess(v -> poll());
  }

  /** Finishes the batches in hand and commits them, then closes the clients. */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (commitTimer >= 0 && vertx.cancelTimer(commitTimer)) {
      commitTimer = -1;
      commit(Map.of()); // what is accounted for is committed now, not after the interval
    }
    endIfIdle();
    return loopEnded.future().eventually(() -> {
      closing = true; // everything is committed: closing revokes the partitions with nothing to wait for
      return Future.join(sessions.stop(), consumer.close(), deadLetters.close());
    });
  }

  /**
   * On the consumer's thread, inside its poll: blocks it until the event loop has settled what is in
   * flight, or abandoned it after the wait; returns the offsets to commit before the partitions go.
   */
  private Map<TopicPartition, OffsetAndMetadata> settleBeforeRevocation(Collection<TopicPartition> revoked) {
    if (closing) {
      return Map.of();
    }
    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> settled = new CompletableFuture<>();
    context.runOnContext(v -> {
      revocation = settled;
      afterChange();
    });
    long waitMs = node.options().getDeliveryTimeoutMs() + REVOCATION_GRACE_MS;
    try {
      return settled.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("partitions {} revoked with records still in flight after {} ms: abandoning them", revoked, waitMs);
      CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> abandoned = new CompletableFuture<>();
      context.runOnContext(v -> abandonInFlight(abandoned));
      return abandoned.completeOnTimeout(Map.of(), 5, TimeUnit.SECONDS).join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    } catch (ExecutionException e) {
      return Map.of();
    }
  }

  /** Everything accounted for, oldest first so that newer offsets win: the commit under way, the pending one, the new. */
  private Map<TopicPartition, OffsetAndMetadata> takeAllSettled() {
    guarded.nextGeneration(); // the commits asked for until now are in what this returns
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(beingCommitted);
    offsets.putAll(toCommit);
    offsets.putAll(inFlight.takeCommittable());
    toCommit = new HashMap<>();
    if (commitTimer >= 0 && vertx.cancelTimer(commitTimer)) {
      commitTimer = -1;
    }
    return offsets;
  }

  /** The wait is over: what settled is committed by the revocation, the rest is consumed again from there. */
  private void abandonInFlight(CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> abandoned) {
    revocation = null;
    Map<TopicPartition, OffsetAndMetadata> offsets = takeAllSettled();
    Map<TopicPartition, Long> positions = inFlight.clearToFirstOffsets();
    abandoned.complete(offsets);
    holdFor(node.options().getRetryBackoffMs(), rewind(positions));
  }

  private void poll() {
    if (stopping || polling || held || inFlight.unsettledRecords() >= node.options().getMaxInFlightRecords()) {
      return; // a settling batch, the end of the hold or of the poll in progress calls again
    }
    polling = true;
    consumer.poll(Duration.ofMillis(node.options().getPollTimeoutMs())).onComplete(ar -> {
      polling = false;
      if (ar.failed()) {
        LOG.warn("outbound consumer failed: {}; polling again in {} ms", ar.cause().toString(),
            node.options().getRetryBackoffMs());
        holdFor(node.options().getRetryBackoffMs(), Future.succeededFuture());
      } else if (!ar.result().isEmpty() && held) {
        inFlight.addUndelivered(ar.result()); // a failed batch awaits its rewind: these go back with it
      } else if (!ar.result().isEmpty() && !stopping) {
        dispatch(ar.result()); // records polled while stopping are not committed: their next owner gets them
      }
      afterChange();
    });
  }

  private void dispatch(ConsumerRecords<String, byte[]> records) {
    InFlightBatches.Batch batch = inFlight.add(records);
    Future<Void> accounted;
    try {
      accounted = processor.process(records);
    } catch (RuntimeException e) { // the batch must still settle, or nothing after it is ever committed
      accounted = Future.failedFuture(e);
    }
    accounted.onComplete(ar -> {
      inFlight.settle(batch, ar.succeeded());
      if (ar.failed()) {
        LOG.warn("could not account for a batch of {} records ({}); consuming it again", records.count(),
            ar.cause().toString());
      }
      afterChange();
    });
  }

  /** Commits what may be, rewinds after a failed batch once nothing is in flight, and polls on. */
  private void afterChange() {
    Map<TopicPartition, OffsetAndMetadata> committable = inFlight.takeCommittable();
    if (!committable.isEmpty()) {
      commit(committable);
    }
    if (inFlight.oldestFailed() && !held) {
      held = true; // nothing more is dispatched until the rewind
    }
    if (inFlight.oldestFailed() && !polling && inFlight.allSettled() && !stopping) {
      Map<TopicPartition, Long> positions = inFlight.clearToFirstOffsets();
      holdFor(node.options().getRetryBackoffMs(), rewind(positions));
    }
    if (revocation != null && inFlight.allSettled()) {
      revocation.complete(takeAllSettled());
      revocation = null;
    }
    endIfIdle();
    poll();
  }

  private void holdFor(long backoffMs, Future<Void> before) {
    held = true;
    int generation = ++holdGeneration;
    before.onComplete(ar -> vertx.setTimer(backoffMs, t -> {
      if (generation == holdGeneration) {
        held = false;
        afterChange();
      }
    }));
  }

  /** Seeks every partition back to its first record not committed, so that none is skipped. */
  private Future<Void> rewind(Map<TopicPartition, Long> positions) {
    List<Future<Void>> seeks = positions.entrySet().stream()
        .map(e -> consumer.seek(e.getKey(), e.getValue())).toList();
    // A seek fails for a partition no longer assigned here: its new owner starts from the committed offset.
    return Future.join(seeks).<Void>mapEmpty().otherwiseEmpty();
  }

  /**
   * At most one commit at a time, and none sooner than {@code commitIntervalMs} after the previous
   * one (unless stopping); offsets that settle meanwhile are merged into the next one.
   */
  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    toCommit.putAll(offsets);
    if (committing || commitTimer >= 0 || toCommit.isEmpty()) {
      return;
    }
    long waitMs = node.options().getCommitIntervalMs() - (System.nanoTime() - lastCommitNanos) / 1_000_000;
    if (waitMs > 0 && !stopping) {
      commitTimer = vertx.setTimer(waitMs, t -> {
        commitTimer = -1;
        commit(Map.of());
      });
      return;
    }
    committing = true;
    lastCommitNanos = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> sending = guarded.offsets(toCommit);
    toCommit = new HashMap<>();
    beingCommitted = sending;
    consumer.commit(sending).onComplete(ar -> {
      beingCommitted = Map.of();
      if (ar.failed() && !(ar.cause() instanceof CommitFailedException) && !stopping) {
        // transient (a timeout, a coordinator moving): the offsets go with the next commit; a stopping
        // bridge does not wait for Kafka to come back, its records are consumed again
        LOG.warn("commit of {} failed: {}; trying again with the next one", sending, ar.cause().toString());
        sending.forEach(toCommit::putIfAbsent);
      } else if (ar.failed()) {
        // the partitions moved to another bridge, which consumes those records again (at-least-once)
        LOG.warn("commit of {} refused: {}; those records will be consumed again", sending, ar.cause().toString());
      }
      committing = false;
      commit(Map.of());
      endIfIdle();
    });
  }

  private void endIfIdle() {
    if (stopping && !polling && !committing && commitTimer < 0 && toCommit.isEmpty() && inFlight.allSettled()) {
      loopEnded.tryComplete();
    }
  }
}
