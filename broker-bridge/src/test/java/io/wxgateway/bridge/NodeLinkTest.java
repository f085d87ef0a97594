package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryDeadlines;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.contract.DeliveryError;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A link keeps at most its limit of batches unanswered, sends what queued meanwhile as one batch when
 * an answer comes, gives each delivery its own answer, and fails only the deliveries of a batch that
 * timed out. The node is stood in for on the event bus, on a loop of its own, holding its answers
 * until the test releases them.
 */
class NodeLinkTest {

  private static final String NODE = "gw-link";

  private final Vertx vertx = Vertx.vertx();
  /** The batches the node received and has not answered yet, in the order received. */
  private final List<Message<Object>> held = new CopyOnWriteArrayList<>();
  private Context linkLoop;
  private Context nodeLoop;

  @BeforeEach
  void start() {
    BusCodecs.register(vertx);
    linkLoop = vertx.getOrCreateContext();
    nodeLoop = vertx.getOrCreateContext();
    Future.<Void>future(p -> nodeLoop.runOnContext(v -> vertx.eventBus().<Object>consumer(BusAddresses.deliveries(NODE),
        held::add).completion().onComplete(p))).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void atMostTheLimitOfBatchesIsUnansweredAndWhatQueuedMeanwhileLeavesAsOneOnTheFirstAnswer() throws Exception {
    for (int limit : new int[] {1, 2}) {
      held.clear();
      NodeLink link = link(limit, 30_000);
      List<Future<DeliveryResult>> answers = new ArrayList<>();
      for (int i = 0; i < limit; i++) { // one batch each: the next is handed over once the last one left
        int n = i;
        answers.add(onLinkLoop(() -> link.send(delivery(n))));
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == n + 1);
      }
      answers.add(onLinkLoop(() -> link.send(delivery(limit))));
      answers.add(onLinkLoop(() -> link.send(delivery(limit + 1))));
      afterEverythingSentSoFarArrived();
      assertEquals(limit, held.size(), "batches unanswered at once, limit " + limit);

      answer(held.get(0));
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == limit + 1);
      assertEquals(List.of("r" + limit, "r" + (limit + 1)), recordIds(held.get(limit)),
          "what queued while " + limit + " batch(es) were out left as one");
      for (int i = 1; i <= limit; i++) {
        answer(held.get(i));
      }
      for (int i = 0; i < answers.size(); i++) {
        assertEquals(i + 1, answers.get(i).await(10, TimeUnit.SECONDS).delivered(), "the answer of r" + i);
      }
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> onLinkLoop(() -> Future.succeededFuture(link.idle()))
          .await());
    }
  }

  @Test
  void aBatchThatTimesOutFailsOnlyItsOwnDeliveriesWhileTheNextOneIsAnswered() throws Exception {
    NodeLink link = link(2, 2_000);
    Future<DeliveryResult> first = onLinkLoop(() -> link.send(delivery(0)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 1);
    Future<DeliveryResult> second = onLinkLoop(() -> link.send(delivery(1)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 2);

    answer(held.get(1)); // the node answers the second batch; the first one is never answered
    assertEquals(2, second.await(10, TimeUnit.SECONDS).delivered(), "the second batch is answered");
    assertFalse(first.isComplete(), "the first one waits for its own answer, not the second's");
    DeliveryResult timedOut = first.await(10, TimeUnit.SECONDS);
    assertEquals(DeliveryError.NODE_UNREACHABLE, timedOut.error(), "the first one timed out: " + timedOut);
  }

  private NodeLink link(int limit, long timeoutMs) {
    return new NodeLink(vertx, NODE, limit, new DeliveryOptions().setSendTimeout(timeoutMs),
        new DeliveryDeadlines(timeoutMs * 3 / 4), new SimpleMeterRegistry().timer("latency"),
        cause -> DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, cause.getMessage()), () -> { });
  }

  /** Runs {@code action} on the link's loop, as the bridge verticle does. */
  private <T> Future<T> onLinkLoop(Supplier<Future<T>> action) {
    return Future.<Future<T>>future(p -> linkLoop.runOnContext(v -> p.complete(action.get()))).await();
  }

  /**
   * Returns once every request the link has sent so far was received: its flush runs on the link's
   * loop before a task queued after it, and a request it sends reaches the node's loop before a task
   * that task then queues there.
   */
  private void afterEverythingSentSoFarArrived() {
    Future.<Void>future(p -> linkLoop.runOnContext(v -> nodeLoop.runOnContext(w -> p.complete()))).await();
  }

  /** Answers each delivery with a count that names it: r0 gets 1, r1 gets 2, and so on. */
  private static void answer(Message<Object> batch) {
    List<DeliveryResult> results = new ArrayList<>();
    for (Delivery d : StandInNode.deliveries(batch)) {
      results.add(DeliveryResult.delivered(Integer.parseInt(d.recordId().substring(1)) + 1));
    }
    batch.reply(new DeliveryResults(results));
  }

  private static List<String> recordIds(Message<Object> batch) {
    return StandInNode.deliveries(batch).stream().map(Delivery::recordId).toList();
  }

  private static Delivery delivery(int n) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, "c-" + n, Buffer.buffer("m" + n),
        0, null, "r" + n, 0);
  }
}
