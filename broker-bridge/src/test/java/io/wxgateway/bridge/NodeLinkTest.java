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
import io.wxgateway.common.bus.NodeClock;
import io.wxgateway.common.contract.DeliveryError;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A link keeps at most its limit of batches unanswered (one until the node gave its clock), sends what
 * queued meanwhile as one batch when an answer comes, settles the answers in the order the batches
 * were sent, fails only the deliveries of a batch that timed out, and after a failure sends nothing new
 * until every batch out is settled. The node is stood in for on the event bus, holding its answers
 * until the test releases them.
 */
class NodeLinkTest {

  private static final String NODE = "gw-link";

  private final Vertx vertx = Vertx.vertx();
  /** The batches the node received, answered or not, in the order received. */
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
      NodeLink link = warmLink(limit, 30_000);
      List<Future<DeliveryResult>> answers = new ArrayList<>();
      for (int i = 0; i < limit; i++) { // one batch each: the next is handed over once the last one left
        int n = i;
        answers.add(onLinkLoop(() -> link.send(delivery(n))));
        Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == n + 2);
      }
      answers.add(onLinkLoop(() -> link.send(delivery(limit))));
      answers.add(onLinkLoop(() -> link.send(delivery(limit + 1))));
      afterEverythingSentSoFarArrived();
      assertEquals(limit + 1, held.size(), "the warm-up and the batches unanswered at once, limit " + limit);

      answer(held.get(1));
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == limit + 2);
      assertEquals(List.of("r" + limit, "r" + (limit + 1)), recordIds(held.get(limit + 1)),
          "what queued while " + limit + " batch(es) were out left as one");
      for (int i = 2; i <= limit + 1; i++) {
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
  void untilTheNodeGaveItsClockOneBatchAtATime() throws Exception {
    NodeLink link = link(2, 30_000);
    Future<DeliveryResult> first = onLinkLoop(() -> link.send(delivery(0)));
    Future<DeliveryResult> second = onLinkLoop(() -> link.send(delivery(1)));
    afterEverythingSentSoFarArrived();
    assertEquals(1, held.size(), "a batch whose deadline counts from when the node handles it goes alone");
    answer(held.get(0));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 2);
    answer(held.get(1));
    assertEquals(1, first.await(10, TimeUnit.SECONDS).delivered());
    assertEquals(2, second.await(10, TimeUnit.SECONDS).delivered());
  }

  @Test
  void answersAreSettledInTheOrderTheBatchesWereSentWhateverOrderTheyCameIn() throws Exception {
    NodeLink link = warmLink(2, 30_000);
    List<String> settled = new CopyOnWriteArrayList<>();
    Future<DeliveryResult> first = onLinkLoop(() -> link.send(delivery(0)).onComplete(ar -> settled.add("r0")));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 2);
    Future<DeliveryResult> second = onLinkLoop(() -> link.send(delivery(1)).onComplete(ar -> settled.add("r1")));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 3);

    answer(held.get(2)); // the node answers the second batch first (it had nothing to write, say)
    answer(held.get(1));
    assertEquals(2, second.await(10, TimeUnit.SECONDS).delivered());
    assertEquals(1, first.await(10, TimeUnit.SECONDS).delivered());
    assertEquals(List.of("r0", "r1"), settled, "a later delivery's outcome never comes before an earlier one's");
  }

  @Test
  void aBatchThatTimesOutFailsOnlyItsOwnDeliveriesAndNothingNewLeavesUntilTheOneBehindItIsSettled()
      throws Exception {
    NodeLink link = warmLink(2, 2_000);
    Future<DeliveryResult> first = onLinkLoop(() -> link.send(delivery(0)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 2);
    Future<DeliveryResult> second = onLinkLoop(() -> link.send(delivery(1)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 3);
    Future<DeliveryResult> third = onLinkLoop(() -> link.send(delivery(2)));

    DeliveryResult timedOut = first.await(10, TimeUnit.SECONDS); // never answered
    assertEquals(DeliveryError.NODE_UNREACHABLE, timedOut.error(), "the first one timed out: " + timedOut);
    afterEverythingSentSoFarArrived();
    assertEquals(3, held.size(), "after the failure nothing new left while the second batch was out");
    assertFalse(second.isComplete(), "the second batch waits for its own answer");

    answer(held.get(2));
    assertEquals(2, second.await(10, TimeUnit.SECONDS).delivered(), "the second batch is answered, not failed");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 4);
    assertEquals(List.of("r2"), recordIds(held.get(3)));
    answer(held.get(3));
    assertEquals(3, third.await(10, TimeUnit.SECONDS).delivered());
  }

  /** A link whose node has answered once, with its clock: the first batch in {@link #held}. */
  private NodeLink warmLink(int limit, long timeoutMs) throws Exception {
    NodeLink link = link(limit, timeoutMs);
    int before = held.size();
    Future<DeliveryResult> warmUp = onLinkLoop(() -> link.send(delivery(-1)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == before + 1);
    answer(held.get(before));
    assertEquals(0, warmUp.await(10, TimeUnit.SECONDS).delivered());
    return link;
  }

  /** A link built on the link's loop, as the bridge verticle builds its links. */
  private NodeLink link(int limit, long timeoutMs) throws Exception {
    return onLinkLoop(() -> Future.succeededFuture(new NodeLink(vertx, NODE, limit,
        new DeliveryOptions().setSendTimeout(timeoutMs), new DeliveryDeadlines(timeoutMs * 3 / 4),
        new SimpleMeterRegistry().timer("latency"),
        cause -> DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, cause.getMessage()), () -> { })))
        .result();
  }

  /** Runs {@code action} on the link's loop, as the bridge verticle does. */
  private <T> Future<T> onLinkLoop(Supplier<Future<T>> action) throws Exception {
    return Future.<Future<T>>future(p -> linkLoop.runOnContext(v -> p.complete(action.get())))
        .await(10, TimeUnit.SECONDS);
  }

  /**
   * Returns once every request the link has sent so far was received: its flush runs on the link's
   * loop before a task queued after it, and a request it sends reaches the node's loop before a task
   * that task then queues there.
   */
  private void afterEverythingSentSoFarArrived() {
    Future.<Void>future(p -> linkLoop.runOnContext(v -> nodeLoop.runOnContext(w -> p.complete()))).await();
  }

  /** Answers each delivery with a count that names it (r0 gets 1, r1 gets 2, ...), and the node's clock. */
  private static void answer(Message<Object> batch) {
    List<DeliveryResult> results = new ArrayList<>();
    for (Delivery d : StandInNode.deliveries(batch)) {
      results.add(DeliveryResult.delivered(Integer.parseInt(d.recordId().substring(1)) + 1));
    }
    batch.reply(new DeliveryResults(results, NodeClock.ID, System.nanoTime()));
  }

  private static List<String> recordIds(Message<Object> batch) {
    return StandInNode.deliveries(batch).stream().map(Delivery::recordId).toList();
  }

  private static Delivery delivery(int n) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, "c-" + n, Buffer.buffer("m" + n),
        0, null, "r" + n, 0);
  }
}
