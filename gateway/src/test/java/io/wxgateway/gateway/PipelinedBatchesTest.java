package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.Action;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge keeps more than one batch in flight to a node (the next leaves before the last one is
 * answered). A node of several event loops must still write them to a socket in the order they were
 * sent: one consumer takes every batch, where one per loop would take turns and race to the socket.
 */
class PipelinedBatchesTest {

  private static final int BATCHES = 400;
  private static final int PER_BATCH = 10;
  private static final int IN_FLIGHT = 4;

  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  @Test
  void batchesSentBeforeTheLastOneIsAnsweredReachTheSocketInTheOrderSent() throws Exception {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(4));
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 1);
    String id = gw.node.registry().all().iterator().next().connectionId();

    List<DeliveryResult> results = sendPipelined(gw.vertx.getOrCreateContext(), id).await(60, TimeUnit.SECONDS);

    assertEquals(BATCHES * PER_BATCH, results.size());
    results.forEach(r -> assertEquals(1, r.delivered(), "every delivery reached the socket: " + r));
    for (int i = 0; i < BATCHES * PER_BATCH; i++) {
      assertEquals("m" + i, socket.next().asText(), "delivery " + i + " of " + BATCHES * PER_BATCH + " in order");
    }
    socket.close();
  }

  /** Sends every batch from {@code sender}, {@link #IN_FLIGHT} at a time, as a bridge's link does. */
  private Future<List<DeliveryResult>> sendPipelined(Context sender, String connectionId) {
    Promise<List<DeliveryResult>> done = Promise.promise();
    List<DeliveryResult> results = new CopyOnWriteArrayList<>();
    int[] next = {0};
    int[] answered = {0};
    Runnable[] sendNext = new Runnable[1];
    sendNext[0] = () -> {
      int batch = next[0]++;
      gw.vertx.eventBus().<Object>request(BusAddresses.deliveries("gw-test"), batch(connectionId, batch),
          new DeliveryOptions().setSendTimeout(30_000)).onComplete(ar -> {
            if (ar.failed()) {
              done.tryFail(ar.cause());
              return;
            }
            results.addAll(((DeliveryResults) ((Message<Object>) ar.result()).body()).results());
            if (++answered[0] == BATCHES) {
              done.complete(results);
            } else if (next[0] < BATCHES) {
              sendNext[0].run();
            }
          });
    };
    sender.runOnContext(v -> {
      for (int i = 0; i < IN_FLIGHT; i++) {
        sendNext[0].run();
      }
    });
    return done.future();
  }

  private static DeliveryBatch batch(String connectionId, int batch) {
    List<Delivery> deliveries = new ArrayList<>();
    for (int i = batch * PER_BATCH; i < (batch + 1) * PER_BATCH; i++) {
      deliveries.add(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, connectionId, Buffer.buffer("m" + i), 0,
          null, null, 0));
    }
    return new DeliveryBatch(deliveries, 30_000, 0, 0);
  }
}
