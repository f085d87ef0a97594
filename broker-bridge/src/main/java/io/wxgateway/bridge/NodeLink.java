package io.wxgateway.bridge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryDeadlines;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;

/**
 * The bridge's line to one gateway node. Deliveries queue here and leave as one {@link DeliveryBatch}
 * request, with at most one request in flight: the node receives them in the order they were handed
 * over, and the event-bus round trip, its timer and (in a cluster) its TCP write are paid per batch,
 * not per record. What queues while a request is out goes in the next one, so the batches grow with
 * the load. A request that fails (no such node, no answer in time) fails each delivery in it.
 * Each request carries a deadline ({@link DeliveryDeadlines}) before the request times out, so the
 * node writes nothing of it after the bridge gave up: the next request cannot be overtaken by it.
 * Used only on the bridge verticle's event loop.
 */
final class NodeLink {

  /** The most deliveries one request carries: bounds the size of one event-bus message. */
  static final int MAX_BATCH = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final String nodeId;
  private final DeliveryOptions options;
  private final DeliveryDeadlines deadlines;
  private final Timer latency;
  private final Function<Throwable, DeliveryResult> onFailure;
  private final Runnable onIdle;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean requesting;
  private boolean flushScheduled;

  private record Pending(Delivery delivery, Promise<DeliveryResult> answer) {
  }

  NodeLink(Vertx vertx, String nodeId, DeliveryOptions options, DeliveryDeadlines deadlines, Timer latency,
      Function<Throwable, DeliveryResult> onFailure, Runnable onIdle) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.nodeId = nodeId;
    this.options = options;
    this.deadlines = deadlines;
    this.latency = latency;
    this.onFailure = onFailure;
    this.onIdle = onIdle;
  }

  /** Queues the delivery; the request leaves once the current event-loop task (a whole poll) is done. */
  Future<DeliveryResult> send(Delivery delivery) {
    Promise<DeliveryResult> answer = Promise.promise();
    queue.addLast(new Pending(delivery, answer));
    if (!requesting && !flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
    return answer.future();
  }

  private void flush() {
    if (requesting) {
      return;
    }
    if (queue.isEmpty()) {
      onIdle.run();
      return;
    }
    List<Pending> sending = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    List<Delivery> deliveries = new ArrayList<>(sending.size());
    while (!queue.isEmpty() && sending.size() < MAX_BATCH) {
      Pending p = queue.pollFirst();
      sending.add(p);
      deliveries.add(p.delivery());
    }
    requesting = true;
    long start = System.nanoTime();
    vertx.eventBus().<Object>request(BusAddresses.deliveries(nodeId), deadlines.batch(nodeId, deliveries), options)
        .onComplete(ar -> {
          requesting = false;
          List<DeliveryResult> results = answersFor(ar, sending.size());
          if (results != null) {
            deadlines.answered(nodeId, (DeliveryResults) ar.result().body());
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            for (int i = 0; i < sending.size(); i++) {
              sending.get(i).answer().complete(results.get(i));
            }
          } else {
            Throwable cause = ar.failed() ? ar.cause()
                : new IllegalStateException("answered " + ar.result().body() + " to " + sending.size() + " deliveries");
            DeliveryResult failed = onFailure.apply(cause);
            sending.forEach(p -> p.answer().complete(failed));
          }
          flush();
        });
  }

  /** The node's results, one per delivery; null when it failed or answered something else. */
  private static List<DeliveryResult> answersFor(AsyncResult<Message<Object>> ar, int expected) {
    if (ar.succeeded() && ar.result().body() instanceof DeliveryResults answer && answer.results().size() == expected) {
      return answer.results();
    }
    return null;
  }

  /** Whether nothing is queued or in flight: the link may be forgotten. */
  boolean idle() {
    return !requesting && !flushScheduled && queue.isEmpty();
  }
}
