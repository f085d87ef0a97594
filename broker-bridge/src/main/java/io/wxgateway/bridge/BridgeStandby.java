package io.wxgateway.bridge;

import java.util.List;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.wxgateway.common.bus.ClusterMembers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bridge does while its process is out of the cluster ({@link ClusterMembers#LOST_ADDRESS}
 * until {@link ClusterMembers#REJOINED_ADDRESS}): it reaches no gateway node and reads a stale
 * presence map, so whatever it consumed would be dead-lettered. It stops consuming instead: the
 * verticle finishes and commits the batch in hand and leaves the consumer group, whose partitions
 * move to the bridges still in the cluster (or wait in Kafka until one is). Back in the cluster, it
 * joins the group again.
 *
 * <p>Transitions run one after the other on the event loop of whoever deployed the bridge; a loss
 * and a rejoin that arrive together leave the bridge consuming, as the last one says.
 */
final class BridgeStandby {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeStandby.class);

  /** The bridge's consumption of the outbound topic: its verticle. */
  interface Consumption {
    /** Deploys the verticle: it joins the group and consumes. */
    Future<Void> start();

    /** Undeploys it: it finishes and commits the batch in hand, then leaves the group. */
    Future<Void> stop();
  }

  /** How long a bridge that could not consume again waits before it tries again. */
  static final long RETRY_MS = 5_000;

  private final Vertx vertx;
  private final Consumption consumption;
  private final List<MessageConsumer<Object>> consumers;
  private Future<Void> last = Future.succeededFuture();
  private volatile boolean out;
  /** What the last announcement said: the bridge should consume. */
  private volatile boolean inCluster = true;

  BridgeStandby(Vertx vertx, Consumption consumption) {
    this.vertx = vertx;
    this.consumption = consumption;
    this.consumers = List.of(vertx.eventBus().localConsumer(ClusterMembers.LOST_ADDRESS, msg -> {
      inCluster = false;
      then(this::standBy);
    }), vertx.eventBus().localConsumer(ClusterMembers.REJOINED_ADDRESS, msg -> {
      inCluster = true;
      then(this::resume);
    }));
  }

  /** True once the bridge stopped consuming for a loss of the cluster, until it consumes again. */
  boolean isOut() {
    return out;
  }

  /** Stops listening; completes once a transition under way is done. */
  Future<Void> close() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).eventually(() -> last)
        .mapEmpty();
  }

  private void then(Supplier<Future<Void>> step) {
    last = last.transform(ignored -> step.get());
  }

  private Future<Void> standBy() {
    if (out || inCluster) {
      return Future.succeededFuture();
    }
    LOG.warn("this process is out of the cluster: the bridge commits what it has in hand and leaves the consumer "
        + "group, so that the bridges still in the cluster take its partitions");
    return consumption.stop().onFailure(e -> LOG.warn("the bridge did not stop cleanly: {}", e.toString()))
        .recover(e -> Future.succeededFuture()).andThen(ar -> out = true);
  }

  private Future<Void> resume() {
    if (!out || !inCluster) {
      return Future.succeededFuture();
    }
    LOG.info("this process is back in the cluster: the bridge joins its consumer group again");
    return consumption.start().onSuccess(v -> out = false).onFailure(e -> {
      LOG.error("the bridge could not consume again, trying again in {} ms: {}", RETRY_MS, e.toString());
      vertx.setTimer(RETRY_MS, t -> then(this::resume));
    }).recover(e -> Future.succeededFuture());
  }
}
