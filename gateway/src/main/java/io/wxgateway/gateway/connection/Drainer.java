package io.wxgateway.gateway.connection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wxgateway.common.contract.CloseCodes;

/**
 * Closes every socket of a node with 1001 (going away), spread evenly over a window so a thousand
 * phones do not reconnect in the same second, and completes once they are all gone and have handed
 * their close events to Kafka. Runs on a timer.
 */
public final class Drainer {

  static final long STEP_MS = 100;

  private Drainer() {
  }

  public static Future<Void> drain(Vertx vertx, ConnectionRegistry registry, long windowMs) {
    List<Connection> open = new ArrayList<>(registry.all());
    Collections.shuffle(open); // no user or app closes all at once first
    int count = open.size();
    if (count == 0 && registry.sockets() == 0 && registry.ending() == 0) {
      return Future.succeededFuture();
    }
    long start = System.nanoTime();
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    vertx.setPeriodic(1, STEP_MS, timer -> {
      // Socket i closes at i/count of the window: evenly spread, however many there are.
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      while (next[0] < count && next[0] * windowMs / count <= elapsedMs) {
        open.get(next[0]++).close(CloseCodes.GOING_AWAY, "server shutting down, reconnect");
      }
      if (next[0] >= count && registry.sockets() == 0 && registry.ending() == 0) {
        vertx.cancelTimer(timer);
        done.tryComplete();
      }
    });
    return done.future();
  }
}
