package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.Action;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.delivery.DeliveryEndpoint;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the bridge sends over the event bus reaches the socket, with an honest answer. */
class DeliveryEndpointTest {

  private GatewayTestSupport gw;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport();
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void textAndBinaryReachTheSocketInOrderWithTheirTypes() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    String id = onlyConnection();
    assertEquals(1, request(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, id, Buffer.buffer("你好"), 0,
        null, null, System.currentTimeMillis())).delivered());
    assertEquals(1, request(new Delivery(Action.SEND_BINARY, TargetKind.CONNECTION, id,
        Buffer.buffer(new byte[] {9, 8}), 0, null, null, 0)).delivered());
    TestSocket.Received first = socket.next();
    assertEquals("你好", first.asText());
    TestSocket.Received second = socket.next();
    assertFalse(second.text());
    assertEquals(Buffer.buffer(new byte[] {9, 8}), second.data());
    assertEquals(1, gw.counter("wx.messages.out", "type", "text"));
    socket.close();
  }

  /** Text leaves as one frame from the payload's bytes up to 8 KiB, the String way beyond: both arrive whole. */
  @Test
  void textPushesOfEverySizeArriveWholeAsText() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    String id = onlyConnection();
    String[] texts = {"", "é".repeat(4096), "x" + "é".repeat(4096), "€😀".repeat(3000)}; // 8,192, 8,193 and 21,000 bytes
    for (String text : texts) {
      assertEquals(1, request(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, id, Buffer.buffer(text), 0, null,
          null, 0)).delivered());
    }
    for (String text : texts) {
      TestSocket.Received received = socket.next();
      assertEquals(true, received.text());
      assertEquals(text, received.asText());
    }
    socket.close();
  }

  @Test
  void aBatchIsAnsweredDeliveryByDeliveryAndReachesTheSocketInItsOrder() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    String id = onlyConnection();
    String gone = ConnectionId.generate("gw-test").value();
    java.util.List<Delivery> deliveries = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      deliveries.add(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, i == 25 ? gone : id,
          Buffer.buffer("m" + i), 0, null, null, 0));
    }
    java.util.List<DeliveryResult> results = gw.vertx.eventBus().<DeliveryResults>request(
        BusAddresses.deliveries("gw-test"), new DeliveryBatch(deliveries)).await().body().results();
    assertEquals(50, results.size());
    for (int i = 0; i < 50; i++) {
      if (i == 25) {
        assertEquals(DeliveryError.CONNECTION_NOT_FOUND, results.get(i).error(), "the one for a closed socket");
      } else {
        assertEquals(1, results.get(i).delivered(), "delivery " + i);
        assertEquals("m" + i, socket.next().asText());
      }
    }
    socket.close();
  }

  @Test
  void closeReachesTheClientWithItsCodeAndReason() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    String id = onlyConnection();
    request(new Delivery(Action.CLOSE, TargetKind.CONNECTION, id, Buffer.buffer(), 4100, "登出 logout", null, 0));
    TestSocket.Closed closed = socket.awaitClose();
    assertEquals(4100, closed.code());
    assertEquals("登出 logout", closed.reason());
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 0);
  }

  @Test
  void unknownConnectionIsReportedNotFound() {
    DeliveryResult result = request(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION,
        ConnectionId.generate("gw-test").value(), Buffer.buffer("x"), 0, null, null, 0));
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, result.error());
  }

  @Test
  void userAndBroadcastCountTheSocketsReached() {
    TestSocket a = TestSocket.connect(gw.vertx, gw.port, "/ws");
    TestSocket b = TestSocket.connect(gw.vertx, gw.port, "/ws");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 2);
    assertEquals(2, request(new Delivery(Action.SEND_TEXT, TargetKind.ALL, null, Buffer.buffer("all"), 0, null,
        null, 0)).delivered());
    assertEquals("all", a.next().asText());
    assertEquals("all", b.next().asText());
    DeliveryResult nobody = request(new Delivery(Action.SEND_TEXT, TargetKind.USER, "nobody", Buffer.buffer("x"), 0,
        null, null, 0));
    assertEquals(0, nobody.delivered());
    assertNull(nobody.error());
  }

  @Test
  void aClientThatReadsNothingIsClosedWith1008AndTheRestIsReportedTooSlow() {
    gw.close();
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(1)
        .setSocket(new SocketOptions().setMaxOutboundBytes(64 * 1024)));
    TestSocket slow = TestSocket.connect(gw.vertx, gw.port, "/ws");
    String slowId = onlyConnection();
    TestSocket healthy = TestSocket.connect(gw.vertx, gw.port, "/ws");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 2);
    String healthyId = gw.node.registry().all().stream().map(Connection::connectionId)
        .filter(id -> !id.equals(slowId)).findFirst().orElseThrow();
    slow.pause();
    Buffer chunk = Buffer.buffer(new byte[32 * 1024]);
    DeliveryResult result = null;
    for (int i = 0; i < 5_000 && (result == null || result.isSuccess()); i++) {
      result = request(new Delivery(Action.SEND_BINARY, TargetKind.CONNECTION, slowId, chunk, 0, null, null, 0));
    }
    assertEquals(DeliveryError.CLIENT_TOO_SLOW, result.error());
    assertEquals(1, request(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, healthyId, Buffer.buffer("fine"),
        0, null, null, 0)).delivered(), "other sockets are unaffected");
    assertEquals("fine", healthy.next().asText());
    slow.resume();
    assertEquals(1008, slow.awaitClose().code());
  }

  /**
   * Issue 11 item 6: once the client's close frame is in, a write cannot reach the client: it is
   * {@code connection-not-found}, not delivered, even while the gateway still flushes what it had
   * queued before. Everything answered delivered reaches the client before the close frame.
   */
  @Test
  void aWriteAfterTheClientsCloseFrameIsConnectionNotFoundNotDelivered() {
    gw.close();
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(1)
        .setSocket(new SocketOptions().setMaxOutboundBytes(64 * 1024 * 1024)));
    try (RawClient client = RawClient.upgrade(gw.port, "/ws", 4096)) {
      String id = onlyConnection();
      Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
      int queued = 128; // 8 MB, more than the kernel's buffers take: the rest (and the close echo) waits
      for (int i = 0; i < queued; i++) {
        assertEquals(1, request(new Delivery(Action.SEND_BINARY, TargetKind.CONNECTION, id, chunk, 0, null, null, 0))
            .delivered());
      }
      client.sendFrame(true, RawClient.CLOSE, RawClient.closeBody(1000, "bye"));
      int[] deliveredAfter = {0};
      DeliveryResult refused = Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
        DeliveryResult r = request(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, id, Buffer.buffer("late"),
            0, null, null, 0));
        deliveredAfter[0] += r.isSuccess() ? 1 : 0;
        return r;
      }, r -> !r.isSuccess());
      assertEquals(DeliveryError.CONNECTION_NOT_FOUND, refused.error(), refused.detail());
      assertEquals(queued + deliveredAfter[0], client.awaitEnd().framesBefore(),
          "every write answered delivered reached the client");
    }
  }

  @Test
  void aRequestThatIsNotABatchIsRefusedAndWritesNothing() {
    TestSocket client = TestSocket.connect(gw.vertx, gw.port, "/ws");
    String id = onlyConnection();
    Delivery single = new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, id, Buffer.buffer("alone"), 0, null, null, 0);
    ReplyException refused = assertThrows(ReplyException.class,
        () -> gw.vertx.eventBus().request(BusAddresses.deliveries("gw-test"), single).await());
    assertEquals(DeliveryEndpoint.NOT_A_BATCH, refused.failureCode());
    assertEquals(DeliveryResult.delivered(1), request(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, id,
        Buffer.buffer("batched"), 0, null, null, 0)));
    assertEquals("batched", client.next().asText(), "the refused request wrote nothing");
  }

  private String onlyConnection() {
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 1);
    return gw.node.registry().all().iterator().next().connectionId();
  }

  /** A batch of one, as the bridge would send it. */
  private DeliveryResult request(Delivery delivery) {
    return gw.vertx.eventBus().<DeliveryResults>request(BusAddresses.deliveries("gw-test"),
        new DeliveryBatch(List.of(delivery))).await().body().results().get(0);
  }
}
