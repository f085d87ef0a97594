package io.wxgateway.gateway.delivery;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.gateway.connection.Connection;

/**
 * The socket writes of one delivery batch, grouped by the event loop that owns each socket: one task
 * per loop writes all of that loop's sockets, in batch order, instead of one hop (and one future) per
 * write. Built and completed on the endpoint's event loop; each group runs on its own loop and
 * touches only its own sockets and its own list of results. A write whose loop gets to it after the
 * batch's deadline is not made (node-unreachable: the bridge has reported it so).
 */
final class LoopWrites {

  /** One socket write: the batch index of its delivery, and the socket. */
  record Write(int index, Connection connection) {
  }

  /** What one socket write did, for the delivery at {@code index}. */
  record Written(int index, DeliveryResult result) {
  }

  static final String TOO_LATE = "the batch reached its socket after its deadline: the bridge had given up on it";

  private final List<Delivery> deliveries;
  private final long deadline;
  private final Map<Context, List<Write>> byLoop = new IdentityHashMap<>();

  /** @param deadline on {@link System#nanoTime()}, as {@link DeliveryBatch#deadlineHere} gives it */
  LoopWrites(List<Delivery> deliveries, long deadline) {
    this.deliveries = deliveries;
    this.deadline = deadline;
  }

  void add(int index, Connection connection) {
    byLoop.computeIfAbsent(connection.context(), c -> new ArrayList<>()).add(new Write(index, connection));
  }

  /** Runs every group on its loop; completes on {@code home} with every write's result. */
  Future<List<Written>> run(Context home) {
    if (byLoop.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Promise<List<Written>> done = Promise.promise();
    List<List<Written>> parts = new ArrayList<>(byLoop.size());
    AtomicInteger pending = new AtomicInteger(byLoop.size());
    for (Map.Entry<Context, List<Write>> group : byLoop.entrySet()) {
      List<Written> part = new ArrayList<>(group.getValue().size());
      parts.add(part);
      group.getKey().runOnContext(v -> {
        writeAll(group.getValue(), part);
        if (pending.decrementAndGet() > 0) {
          return;
        }
        if (group.getKey() == home) { // answered in the task that wrote: no pause can fall in between
          done.complete(merge(parts));
        } else { // the last group publishes every part to home
          home.runOnContext(x -> done.complete(merge(parts)));
        }
      });
    }
    return done.future();
  }

  /**
   * The group's writes in batch order, each socket's flushes held until the last of them: a socket
   * with several records in the batch gets them in one syscall (and one TCP segment) rather than
   * one each. The release is in the same task, so nothing waits longer than the group's writes.
   */
  private void writeAll(List<Write> writes, List<Written> part) {
    for (Write w : writes) {
      w.connection().holdFlushes();
    }
    try {
      for (Write w : writes) {
        part.add(new Written(w.index(), write(w)));
      }
    } finally {
      for (Write w : writes) {
        w.connection().releaseFlushes();
      }
    }
  }

  /** One write; a socket that throws fails its own delivery, not the batch's answer. */
  private DeliveryResult write(Write w) {
    if (DeliveryBatch.passed(deadline, System.nanoTime())) {
      return DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, TOO_LATE);
    }
    try {
      return w.connection().write(deliveries.get(w.index()));
    } catch (RuntimeException e) {
      return DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "connection " + w.connection().connectionId()
          + " failed the write: " + e);
    }
  }

  private static List<Written> merge(List<List<Written>> parts) {
    List<Written> all = new ArrayList<>();
    parts.forEach(all::addAll);
    return all;
  }
}
