package io.wxgateway.bridge;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.options.BridgeOptions;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's side of resumable sessions (docs/sessions.md), for one bridge verticle: the replay
 * {@link PushHistory} of the partitions it owns, the {@link HeldPushes}, the rebuilds on assignment
 * and the {@link ReplayEndpoint}, kept in step with the consumer's assignment. Event loop only.
 */
final class SessionHistory {

  private static final Logger LOG = LoggerFactory.getLogger(SessionHistory.class);
  /** How often held pushes past their expiry are dead-lettered and old pushes leave the history. */
  static final long TICK_MS = 250;

  private final Vertx vertx;
  private final BridgeOptions options;
  private final String topic;
  private final KafkaReadStream<String, byte[]> consumer;
  private final String bridgeId;
  final PushHistory history;
  final HeldPushes held;
  private final HistoryRebuilder rebuilder;
  private final ReplayEndpoint endpoint;
  private final Set<Integer> owned = new HashSet<>();
  /** Revoked, not yet known to be given back or gone: decided by the next assignment. */
  private final Set<Integer> revokedPending = new HashSet<>();
  private Future<Integer> partitionCount;
  private long timer = -1;

  SessionHistory(Vertx vertx, BridgeNode node, KafkaReadStream<String, byte[]> consumer,
      Map<String, Object> consumerConfig, HeldPushes.Expiry expiry) {
    this.vertx = vertx;
    this.options = node.options();
    this.topic = node.kafka().getOutboundTopic();
    this.consumer = consumer;
    this.bridgeId = "bridge-" + node.clientId();
    history = new PushHistory(options.getHistoryMaxBytes(), options.getHistoryMaxAgeMs(), node.metrics());
    held = new HeldPushes(options.getHeldGraceMs(), node.metrics(), expiry);
    node.metrics().historyFrom(history::bytes, history::pushes, held::pending);
    rebuilder = new HistoryRebuilder(vertx, consumerConfig, options.getHistoryMaxAgeMs());
    endpoint = new ReplayEndpoint(vertx, bridgeId, history, held, rebuilder, node.metrics(),
        () -> owned, this::partitionCount);
    consumer.partitionsAssignedHandler(this::assigned);
    consumer.partitionsRevokedHandler(this::revoked);
  }

  /** Call before subscribing: replay requests are answered from then on. */
  Future<Void> start() {
    timer = vertx.setPeriodic(TICK_MS, t -> {
      long now = System.currentTimeMillis();
      held.expire(now);
      history.evict(now);
    });
    return endpoint.start();
  }

  /** Held marks still pending are lost with this bridge (see {@link HeldPushes}): their offsets are committed. */
  Future<Void> stop() {
    vertx.cancelTimer(timer);
    return endpoint.stop();
  }

  /**
   * The partitions are this bridge's now; their history is read back from Kafka when configured. A
   * partition revoked and given back in the same rebalance (the eager protocol revokes everything)
   * keeps its history and held marks: nobody consumed it meanwhile. The others revoked are dropped now.
   */
  private void assigned(Set<TopicPartition> partitions) {
    long now = System.currentTimeMillis();
    Set<Integer> kept = new HashSet<>();
    partitions.forEach(tp -> kept.add(tp.partition()));
    for (int gone : revokedPending) {
      if (!kept.contains(gone)) {
        history.revoked(gone);
        held.revoked(gone);
      }
    }
    for (TopicPartition tp : partitions) {
      owned.add(tp.partition());
      if (!revokedPending.contains(tp.partition())) {
        history.assigned(tp.partition(), now);
        rebuild(tp);
      }
    }
    revokedPending.clear();
    if (!partitions.isEmpty()) { // replays asked while this bridge owned nothing are asked again
      vertx.eventBus().publish(BusAddresses.BRIDGE_ASSIGNED, bridgeId);
    }
  }

  private void rebuild(TopicPartition tp) {
    if (!options.isHistoryRebuild() || options.getHistoryMaxBytes() == 0) {
      return;
    }
    Future<Long> end = consumer.committed(tp).map(c -> c == null ? null : c.offset());
    rebuilder.rebuild(tp, end, r -> {
      if (owned.contains(tp.partition())) {
        history.rebuilt(tp.partition(), r.entries(), r.fromOffset(), r.fromTime(), System.currentTimeMillis());
      }
    }).onFailure(e -> LOG.warn("cannot rebuild the history of {}: {}; it covers what is consumed from now", tp,
        e.toString()));
  }

  /**
   * The partitions are no longer this bridge's: no replay answers for them. Their history and held
   * marks are dropped at the next assignment unless it gives them back.
   */
  private void revoked(Set<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      owned.remove(tp.partition());
      revokedPending.add(tp.partition());
    }
  }

  /** The outbound topic's partition count, asked once (again after a failure). */
  private Future<Integer> partitionCount() {
    if (partitionCount == null || partitionCount.failed()) {
      partitionCount = consumer.partitionsFor(topic).map(List::size);
    }
    return partitionCount;
  }
}
