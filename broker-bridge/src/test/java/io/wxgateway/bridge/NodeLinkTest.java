package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * A link keeps one batch unanswered (the node's endpoints, one per event loop, must never hold two of
 * a link's batches at once: they would race to the socket), sends what queued meanwhile as one batch
 * when the answer comes, gives each delivery its own answer, and fails only the deliveries of a batch
 * that timed out. The node is stood in for on the event bus, holding its answers until the test
 * releases them.
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
  void oneBatchIsUnansweredAtATimeAndWhatQueuedMeanwhileLeavesAsOneOnItsAnswer() throws Exception {
    NodeLink link = link(30_000);
    Future<DeliveryResult> first = onLinkLoop(() -> link.send(delivery(0)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 1);
    Future<DeliveryResult> second = onLinkLoop(() -> link.send(delivery(1)));
    Future<DeliveryResult> third = onLinkLoop(() -> link.send(delivery(2)));
    afterEverythingSentSoFarArrived();
    assertEquals(1, held.size(), "nothing else leaves while a batch is out");

    answer(held.get(0));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 2);
    assertEquals(List.of("r1", "r2"), recordIds(held.get(1)), "what queued meanwhile left as one batch");
    answer(held.get(1));
    assertEquals(1, first.await(10, TimeUnit.SECONDS).delivered(), "each delivery gets its own answer");
    assertEquals(2, second.await(10, TimeUnit.SECONDS).delivered());
    assertEquals(3, third.await(10, TimeUnit.SECONDS).delivered());
    Awaitility.await().atMost(10, TimeUnit.SECONDS)
        .until(() -> onLinkLoop(() -> Future.succeededFuture(link.idle())).await());
  }

  @Test
  void aBatchThatTimesOutFailsItsOwnDeliveriesAndTheNextOneLeavesAfterIt() throws Exception {
    NodeLink link = link(1_000);
    Future<DeliveryResult> first = onLinkLoop(() -> link.send(delivery(0)));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 1);
    Future<DeliveryResult> second = onLinkLoop(() -> link.send(delivery(1)));

    DeliveryResult timedOut = first.await(10, TimeUnit.SECONDS); // never answered
    assertEquals(DeliveryError.NODE_UNREACHABLE, timedOut.error(), "the first one timed out: " + timedOut);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> held.size() == 2);
    assertEquals(List.of("r1"), recordIds(held.get(1)));
    answer(held.get(1));
    assertEquals(2, second.await(10, TimeUnit.SECONDS).delivered(), "the next batch is answered, not failed");
  }

  /** A link built on the link's loop, as the bridge verticle builds its links. */
  private NodeLink link(long timeoutMs) throws Exception {
    return onLinkLoop(() -> Future.succeededFuture(new NodeLink(vertx, NODE,
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
