package io.wxgateway.bridge;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Reads by key (a user's presence, the node directory) shared by the deliveries that need them, yet
 * never older than the delivery: each caller gets the result of a read that started after it asked.
 * Per key at most one read is in flight; whoever asks meanwhile shares the one read that starts when
 * it ends. So a user with many records in flight costs one read per round trip, not one per record,
 * and no record waits for the reads of the records before it: at most for two read round trips of
 * its own. A failed read fails only its own callers. Used only on the bridge verticle's event loop.
 */
final class FreshReads<T> {

  private final Function<String, Future<T>> read;
  /** Keys with a read in flight; {@code next} is the read that waits for it, if anyone asked since it started. */
  private final Map<String, State<T>> inFlight = new HashMap<>();

  private static final class State<T> {
    private Promise<T> next;
  }

  FreshReads(Function<String, Future<T>> read) {
    this.read = read;
  }

  Future<T> get(String key) {
    State<T> state = inFlight.get(key);
    if (state == null) {
      state = new State<>();
      inFlight.put(key, state);
      return start(key, state);
    }
    if (state.next == null) {
      state.next = Promise.promise();
    }
    return state.next.future();
  }

  private Future<T> start(String key, State<T> state) {
    Future<T> started;
    try {
      started = read.apply(key);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(ar -> {
      Promise<T> waiting = state.next;
      if (waiting == null) {
        inFlight.remove(key, state);
        return;
      }
      state.next = null;
      start(key, state).onComplete(waiting);
    });
    return started;
  }
}
