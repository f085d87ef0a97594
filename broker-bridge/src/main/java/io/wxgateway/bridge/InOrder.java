package io.wxgateway.bridge;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Hands the deliveries to one key (a user, the broadcasts) over to their nodes' links in the order
 * they were added, each once its own lookup is done: the lookups run concurrently (see
 * {@link FreshReads}), only the hand-overs wait for the ones before, and a hand-over is a synchronous
 * queueing on the links, so a run of deliveries whose lookups are done goes over in one loop (no
 * chain of futures, no recursion as deep as the queue). Used only on the bridge verticle's event loop.
 */
final class InOrder<L, R> {

  private final Map<String, ArrayDeque<Waiting<L, R>>> queues = new HashMap<>();

  private static final class Waiting<L, R> {
    private final Future<L> lookup;
    private final Function<AsyncResult<L>, Future<R>> handOver;
    private final Promise<R> result = Promise.promise();
    private boolean resumeScheduled;

    private Waiting(Future<L> lookup, Function<AsyncResult<L>, Future<R>> handOver) {
      this.lookup = lookup;
      this.handOver = handOver;
    }
  }

  /** Hands over with {@code handOver} (given the lookup's result, failed or not) after every earlier one to {@code key}. */
  Future<R> add(String key, Future<L> lookup, Function<AsyncResult<L>, Future<R>> handOver) {
    Waiting<L, R> waiting = new Waiting<>(lookup, handOver);
    ArrayDeque<Waiting<L, R>> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
    queue.addLast(waiting);
    if (queue.size() == 1) {
      drain(key);
    }
    return waiting.result.future();
  }

  /** Keys with deliveries not handed over yet. */
  int waitingKeys() {
    return queues.size();
  }

  private void drain(String key) {
    ArrayDeque<Waiting<L, R>> queue = queues.get(key);
    while (queue != null && !queue.isEmpty()) {
      Waiting<L, R> head = queue.peekFirst();
      if (!head.lookup.isComplete()) {
        if (!head.resumeScheduled) {
          head.resumeScheduled = true;
          head.lookup.onComplete(ar -> drain(key));
        }
        return;
      }
      queue.pollFirst();
      Future<R> handedOver;
      try {
        handedOver = head.handOver.apply(head.lookup);
      } catch (RuntimeException e) {
        handedOver = Future.failedFuture(e);
      }
      handedOver.onComplete(head.result);
    }
    queues.remove(key);
  }
}
