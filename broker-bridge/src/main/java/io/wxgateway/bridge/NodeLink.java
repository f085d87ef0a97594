package io.wxgateway.bridge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
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
 * The bridge's line to one gateway node. Deliveries queue here and leave as {@link DeliveryBatch}
 * requests, at most {@code bridge.batchesInFlightPerNode} of them unanswered at once: the event-bus
 * round trip, its timer and (in a cluster) its TCP write are paid per batch, not per record, and what
 * queues while the requests are out goes in the next one, so the batches grow with the load. With a
 * second request in flight the next batch travels while the last one's answer comes back, instead of
 * after.
 *
 * <p>Order: the node has one consumer of its delivery address, which takes the requests in the order
 * they were sent and hands each socket its writes in that order. The answers are settled in that
 * order too, whatever order they arrive in (a batch with nothing to write is answered at once): a
 * delivery's outcome, a moved connection's follow-up among them, never comes before an earlier one's.
 *
 * <p>Failure: a request that fails (no such node, no answer in time) fails each delivery in it, and
 * only those. Each request carries a deadline ({@link DeliveryDeadlines}) before the request times out,
 * so the node writes nothing of it after the bridge gave up. Two rules keep a batch the bridge gave up
 * on from being written after a later one: after a failure nothing new leaves until every request out
 * is settled (the one behind the failed one might arrive late, over a replaced connection; once it
 * timed out too, its deadline has passed), and only one request is out while the node has not given
 * its clock (its first batch, or after it restarted), as such a batch's deadline counts from when the
 * node handles it. Used only on the bridge verticle's event loop.
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
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** The requests out, in the order sent; settled from the head. */
  private final ArrayDeque<Request> inFlight = new ArrayDeque<>();
  private boolean failedSinceSettled;
  private boolean flushScheduled;

  private record Pending(Delivery delivery, Promise<DeliveryResult> answer) {
  }

  /** One request's deliveries and, once answered, their results. */
  private static final class Request {
    private final List<Pending> sending;
    private List<DeliveryResult> results;

    private Request(List<Pending> sending) {
      this.sending = sending;
    }
  }

  /** @param maxInFlight requests sent and not yet answered, at most; at least 1 */
  NodeLink(Vertx vertx, String nodeId, int maxInFlight, DeliveryOptions options, DeliveryDeadlines deadlines,
      Timer latency, Function<Throwable, DeliveryResult> onFailure, Runnable onIdle) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.nodeId = nodeId;
    this.options = options;
    this.deadlines = deadlines;
    this.latency = latency;
    this.onFailure = onFailure;
    this.onIdle = onIdle;
    this.maxInFlight = maxInFlight;
  }

  /** Queues the delivery; the request leaves once the current event-loop task (a whole poll) is done. */
  Future<DeliveryResult> send(Delivery delivery) {
    Promise<DeliveryResult> answer = Promise.promise();
    queue.addLast(new Pending(delivery, answer));
    if (mayRequest() && !flushScheduled) {
      flushScheduled = true;
      context.runOnContext(v -> {
        flushScheduled = false;
        flush();
      });
    }
    return answer.future();
  }

  private void flush() {
    if (queue.isEmpty() && inFlight.isEmpty()) {
      onIdle.run();
      return;
    }
    while (mayRequest() && !queue.isEmpty()) {
      request();
    }
  }

  /** Whether another request may leave now: see the class comment for the rules. */
  private boolean mayRequest() {
    if (inFlight.isEmpty()) {
      return true;
    }
    if (failedSinceSettled) {
      return false;
    }
    return inFlight.size() < (deadlines.knows(nodeId) ? maxInFlight : 1);
  }

  /** Sends the oldest queued deliveries, up to {@link #MAX_BATCH}, as one request. */
  private void request() {
    List<Pending> sending = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    List<Delivery> deliveries = new ArrayList<>(sending.size());
    while (!queue.isEmpty() && sending.size() < MAX_BATCH) {
      Pending p = queue.pollFirst();
      sending.add(p);
      deliveries.add(p.delivery());
    }
    Request request = new Request(sending);
    inFlight.addLast(request);
    long start = System.nanoTime();
    vertx.eventBus().<Object>request(BusAddresses.deliveries(nodeId), deadlines.batch(nodeId, deliveries), options)
        .onComplete(ar -> {
          request.results = resultsOf(ar, sending.size(), start);
          settleInOrder();
          flush();
        });
  }

  /** The node's results for a request, or each delivery failed, as the bridge reports them. */
  private List<DeliveryResult> resultsOf(AsyncResult<Message<Object>> ar, int size, long start) {
    List<DeliveryResult> results = answersFor(ar, size);
    if (results != null) {
      deadlines.answered(nodeId, (DeliveryResults) ar.result().body());
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return results;
    }
    failedSinceSettled = true;
    Throwable cause = ar.failed() ? ar.cause()
        : new IllegalStateException("answered " + ar.result().body() + " to " + size + " deliveries");
    return Collections.nCopies(size, onFailure.apply(cause));
  }

  /** Completes the answered requests at the head, in the order they were sent. */
  private void settleInOrder() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().results != null) {
      Request settled = inFlight.pollFirst();
      for (int i = 0; i < settled.sending.size(); i++) {
        settled.sending.get(i).answer().complete(settled.results.get(i));
      }
    }
    if (inFlight.isEmpty()) {
      failedSinceSettled = false;
    }
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
    return inFlight.isEmpty() && !flushScheduled && queue.isEmpty();
  }
}
