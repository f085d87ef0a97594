package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.Action;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SessionOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session protocol on one socket: welcome, pushes with positions, messages, heartbeats, errors, bye. */
class SessionProtocolTest {

  private final Vertx signer = Vertx.vertx();
  private GatewayTestSupport gw;

  private void start(SessionOptions session) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setSession(session)
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    signer.close().await();
  }

  SessionClient connect(String user) {
    return SessionClient.connect(gw.vertx, gw.port, TestKeys.hs256(signer, user, 600));
  }

  static Delivery push(TargetKind kind, String target, String body, int partition, long offset) {
    return new Delivery(Action.SEND_TEXT, kind, target, Buffer.buffer(body), 0, null, "rec-" + offset,
        System.currentTimeMillis(), partition, offset);
  }

  static List<DeliveryResult> deliver(GatewayTestSupport gw, Delivery... deliveries) {
    return gw.vertx.eventBus().<DeliveryResults>request(BusAddresses.deliveries("gw-test"),
        new DeliveryBatch(List.of(deliveries))).await().body().results();
  }

  @Test
  void welcomeThenPushesWithTheirPositionAndIdAndMessagesRelayedAsRaw() {
    start(new SessionOptions());
    try (SessionClient client = connect("alice")) {
      SessionClient.Frame welcome = client.hello(null);
      String connectionId = welcome.header().getString("connectionId");
      assertEquals(false, welcome.header().getBoolean("resumed"));
      assertTrue(welcome.header().getString("token").startsWith(welcome.header().getString("session") + "."));
      assertNull(welcome.header().getValue("reason"));

      assertEquals(1, deliver(gw, push(TargetKind.CONNECTION, connectionId, "你好", 1, 42)).get(0).delivered());
      SessionClient.Frame push = client.next();
      assertEquals(new JsonObject().put("t", "push").put("p", "1:42").put("id", "rec-42"), push.header());
      assertEquals("你好", push.bodyText());
      assertTrue(push.text());
      Delivery binary = new Delivery(Action.SEND_BINARY, TargetKind.USER, "alice", Buffer.buffer(new byte[] {0, 10, 7}),
          0, null, "rec-bin", 0, 0, 5);
      assertEquals(1, deliver(gw, binary).get(0).delivered());
      SessionClient.Frame pushed = client.next();
      assertFalse(pushed.text());
      assertEquals("0:5", pushed.header().getString("p"));
      assertEquals(Buffer.buffer(new byte[] {0, 10, 7}), pushed.body());

      client.send("{\"t\":\"hb\"}");
      assertEquals("hb", client.next().type());
      client.send("{\"t\":\"msg\"}\nfrom the page");
      var message = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.message".equals(header(r, "ce_type")),
          1, Duration.ofSeconds(20)).get(0);
      assertEquals("from the page", text(message));
      assertEquals(connectionId, header(message, "ce_connectionid"));
      assertEquals("alice", header(message, "ce_userid"));
      assertEquals("2", header(message, "ce_seq"), "after the open event, as on a raw socket");
      assertEquals("text/plain; charset=utf-8", header(message, "content-type"));
      var open = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.session.open".equals(header(r, "ce_type")),
          1, Duration.ofSeconds(20)).get(0);
      JsonObject value = new JsonObject(text(open));
      assertEquals(welcome.header().getString("session"), value.getString("sessionId"));
      assertEquals(welcome.header().getString("session"), header(open, "ce_sessionid"));
      assertEquals("alice", open.key());
      assertEquals(1, value.getInteger("epoch"));
    }
  }

  @Test
  void aRawClientIsUnchanged() {
    start(new SessionOptions());
    TestSocket raw = TestSocket.connect(gw.vertx, gw.port, "/ws", io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer " + TestKeys.hs256(signer, "bob", 600)));
    assertNull(raw.subProtocol());
    raw.sendText("ping");
    assertEquals("pong", raw.next().asText());
    String id = gw.node.registry().byUser("bob").get(0).connectionId();
    deliver(gw, push(TargetKind.CONNECTION, id, "plain", 0, 1));
    assertEquals("plain", raw.next().asText());
    raw.close();
  }

  @Test
  void aMessageSentWithAnIdIsConfirmedOnceKafkaHasItAndCarriesTheIdForDedupe() {
    start(new SessionOptions().setHeartbeatIntervalMs(600_000)); // no beat of the gateway's own in the count below
    try (SessionClient client = connect("erin")) {
      client.hello(null);
      client.send("{\"t\":\"msg\",\"id\":\"k3.m-1\"}\none");
      client.send("{\"t\":\"msg\",\"id\":\"k3.m-2\"}\ntwo");
      client.send("{\"t\":\"msg\"}\nthree, unconfirmed");
      List<String> confirmed = new java.util.ArrayList<>();
      while (confirmed.size() < 2) {
        SessionClient.Frame got = client.next();
        assertEquals("got", got.type(), got.header().encode());
        got.header().getJsonArray("ids").forEach(id -> confirmed.add((String) id));
      }
      assertEquals(List.of("k3.m-1", "k3.m-2"), confirmed, "in the order sent, each once");
      var messages = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.message".equals(header(r, "ce_type"))
          && "erin".equals(header(r, "ce_userid")), 3, Duration.ofSeconds(20));
      assertEquals(List.of("one", "two", "three, unconfirmed"), messages.stream().map(r -> text(r)).toList());
      assertEquals("k3.m-1", header(messages.get(0), "ce_clientmsgid"));
      assertEquals("k3.m-2", header(messages.get(1), "ce_clientmsgid"));
      assertNull(header(messages.get(2), "ce_clientmsgid"));
      client.send("{\"t\":\"hb\"}");
      assertEquals("hb", client.next().type(), "no got for a message without an id");
      assertEquals(1, gw.meters.get("wx.messages.out").tag("type", "heartbeat").counter().count(),
          "the heartbeat's answer only: neither the welcome nor a got is a heartbeat");
    }
    try (SessionClient bad = connect("erin")) {
      bad.hello(null);
      bad.send("{\"t\":\"msg\",\"id\":\"has a space\"}\nx");
      TestSocket.Closed closed = bad.socket.awaitClose();
      assertEquals(4400, closed.code());
      assertTrue(closed.reason().startsWith("msg id must be"), closed.reason());
    }
  }

  @Test
  void aFirstFrameThatIsNotHelloOrNoHelloInTimeClosesWith4400() {
    start(new SessionOptions().setHelloTimeoutMs(300));
    try (SessionClient early = connect("carol"); SessionClient silent = connect("carol")) {
      early.send("{\"t\":\"msg\"}\nhi");
      TestSocket.Closed closed = early.socket.awaitClose();
      assertEquals(4400, closed.code());
      assertEquals("the first frame must be hello", closed.reason());
      assertEquals(4400, silent.socket.awaitClose().code());
    }
    try (SessionClient garbage = connect("carol")) {
      garbage.hello(null);
      garbage.send("not a header");
      assertEquals(4400, garbage.socket.awaitClose().code());
    }
  }

  @Test
  void byeEndsTheSessionAndClosesWith1000() {
    start(new SessionOptions());
    try (SessionClient client = connect("dave")) {
      String session = client.hello(null).header().getString("session");
      client.send("{\"t\":\"bye\"}");
      assertEquals(1000, client.socket.awaitClose().code());
      var end = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.session.end".equals(header(r, "ce_type")),
          1, Duration.ofSeconds(20)).get(0);
      assertEquals("bye", new JsonObject(text(end)).getString("reason"));
      assertEquals(session, header(end, "ce_sessionid"));
      assertNotEquals(null, header(end, "ce_id"));
    }
  }

  @Test
  void theGatewayBeatsAndASocketPastItsUnackedBoundClosesWith1008AndSuspends() {
    start(new SessionOptions().setHeartbeatIntervalMs(1_000).setMaxUnackedPushes(2));
    try (SessionClient client = connect("eve")) {
      String connectionId = client.hello(null).header().getString("connectionId");
      assertEquals("hb", client.next().type(), "the gateway's own heartbeat");
      List<DeliveryResult> results = deliver(gw, push(TargetKind.CONNECTION, connectionId, "1", 0, 1),
          push(TargetKind.CONNECTION, connectionId, "2", 0, 2), push(TargetKind.CONNECTION, connectionId, "3", 0, 3));
      assertEquals(io.wxgateway.common.contract.DeliveryError.CLIENT_TOO_SLOW, results.get(2).error());
      assertEquals(1008, client.socket.awaitClose().code());
      var suspend = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.session.suspend".equals(header(r, "ce_type")),
          1, Duration.ofSeconds(20)).get(0);
      assertEquals("client-too-slow", new JsonObject(text(suspend)).getString("reason"));
      org.awaitility.Awaitility.await().atMost(5, java.util.concurrent.TimeUnit.SECONDS)
          .until(() -> gw.meters.get("wx.sessions.suspended").gauge().value() == 1);
      assertEquals(0, gw.meters.get("wx.sockets.open").gauge().value(), "a suspended session is not an open socket");
    }
  }
}
