package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge that has just started: the consumer thread is busy joining the group, so the topic's
 * partition count (asked on that thread) comes late, and the assignment comes meanwhile. CI saw a
 * resume right after a bridge restart told {@code recovered: false} that way (SessionResumeClusterTest).
 */
class ReplayEndpointTest {

  private final Vertx vertx = Vertx.vertx();
  private final BridgeMetrics metrics = new BridgeMetrics(new SimpleMeterRegistry());
  private final PushHistory history = new PushHistory(1 << 20, 300_000, metrics);
  private final HeldPushes held = new HeldPushes(1_000, metrics, (e, o) -> Future.succeededFuture());
  private final HistoryRebuilder rebuilds = new HistoryRebuilder(vertx, Map.of("client.id", "test"), 300_000);
  private final Set<Integer> owned = new HashSet<>();
  private final Promise<Integer> partitionCount = Promise.promise();
  /** The bridge verticle's loop: everything of the endpoint runs there. */
  private final Context loop = vertx.getOrCreateContext();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aPartitionAssignedWhileTheCountIsAskedIsAnsweredForOnlyOnceItsHistoryIsRebuilt() throws Exception {
    BusCodecs.register(vertx);
    CompletableFuture<ReplayAnswer> answer = new CompletableFuture<>();
    vertx.eventBus().<ReplayAnswer>consumer("node.replies", m -> answer.complete(m.body())).completion().await();
    ReplayEndpoint endpoint = new ReplayEndpoint(vertx, "bridge-1", history, held, rebuilds, metrics,
        () -> owned, partitionCount::future);
    onLoop(() -> endpoint.start()).await();
    long suspendedAt = System.currentTimeMillis() - 60_000;
    Promise<Long> committed = Promise.promise();

    vertx.eventBus().publish(BusAddresses.REPLAY, new ReplayRequest("q1", "s1", "node.replies",
        List.of(ReplayRequest.user("u")), Map.of(), suspendedAt));
    onLoop(() -> { // the assignment, as SessionHistory.assigned makes it, before the count has come
      owned.add(0);
      history.assigned(0, System.currentTimeMillis());
      rebuilds.rebuild(new TopicPartition("out", 0), committed.future(),
          r -> history.rebuilt(0, r.entries(), r.fromOffset(), r.fromTime(), System.currentTimeMillis()));
      partitionCount.complete(1);
      return Future.succeededFuture();
    }).await();
    onLoop(() -> { // the rebuild is done: the group had no offset, the consumer reads everything itself
      committed.complete(null);
      return Future.succeededFuture();
    }).await();

    ReplayAnswer got = answer.get(10, TimeUnit.SECONDS);
    assertEquals(List.of(0), got.partitions());
    assertNull(got.detail());
    assertTrue(got.complete());
  }

  private <T> Future<T> onLoop(java.util.function.Supplier<Future<T>> task) {
    Promise<T> done = Promise.promise();
    loop.runOnContext(v -> task.get().onComplete(done));
    return done.future();
  }
}
