package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static io.wxgateway.gateway.SessionProtocolTest.deliver;
import static io.wxgateway.gateway.SessionProtocolTest.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SessionOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gap between the gateway closing a session socket and the connection being gone. A phone in the
 * background does not answer the close frame, so Vert.x keeps the connection for its closing timeout
 * (10 s) before it drops it and the session suspends. A push to that socket in the gap is held for the
 * session, as it will be once the session is suspended, and a push to a socket taken over by a resume
 * is answered with the connection the session moved to. Neither is dead-lettered connection-not-found,
 * which would drop it from the replay.
 */
class SessionClosingGapTest {

  private static final long IDLE_TIMEOUT_MS = 1_000;
  private final Vertx signer = Vertx.vertx();
  private GatewayTestSupport gw;

  private void start(SocketOptions socket) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setSession(new SessionOptions())
        .setSocket(socket).setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    signer.close().await();
  }

  @Test
  void aPushWhileTheIdleCloseWaitsForASilentPhoneIsHeldForTheSession() {
    start(new SocketOptions().setPingIntervalMs(300).setIdleTimeoutMs(IDLE_TIMEOUT_MS));
    try (RawClient phone = sessionPeer("hana")) {
      JsonObject welcome = welcome(phone);
      String session = welcome.getString("session");
      String connection = welcome.getString("connectionId");
      assertEquals(4000, phone.awaitEnd().code(), "the gateway closed the silent socket for idleness");

      DeliveryResult byConnection = deliver(gw, push(TargetKind.CONNECTION, connection, "in the gap", 0, 9)).get(0);
      assertEquals(List.of(session), byConnection.heldFor(), byConnection.toString());
      assertTrue(byConnection.heldUntil() >= System.currentTimeMillis() + SessionOptions.DEFAULT_RESUME_WINDOW_MS
          - 5_000, "held until about a window from now: " + byConnection);
      DeliveryResult byUser = deliver(gw, push(TargetKind.USER, "hana", "by user in the gap", 1, 4)).get(0);
      assertEquals(List.of(session), byUser.heldFor(), byUser.toString());

      phone.abort(); // the connection goes: now the session suspends
      JsonObject suspend = new JsonObject(text(KafkaTestBroker.awaitRecords(gw.inbound,
          r -> "wx.session.suspend".equals(header(r, "ce_type")), 1, Duration.ofSeconds(20)).get(0)));
      assertEquals("idle", suspend.getString("reason"));
      assertEquals(session, suspend.getString("sessionId"));
    }
  }

  @Test
  void aPushToASocketTakenOverWhileItStillClosesIsAnsweredWithTheConnectionItMovedTo() {
    start(new SocketOptions());
    try (RawClient oldPhone = sessionPeer("ivan")) {
      JsonObject welcome = welcome(oldPhone);
      String oldConnection = welcome.getString("connectionId");
      try (SessionClient resumed = SessionClient.connect(gw.vertx, gw.port, TestKeys.hs256(signer, "ivan", 600))) {
        SessionClient.Frame again = resumed.hello(welcome.getString("token"));
        assertEquals(true, again.header().getBoolean("resumed"));
        String newConnection = again.header().getString("connectionId");
        assertEquals(4409, oldPhone.awaitEnd().code(), "the old socket was closed as resumed elsewhere");

        DeliveryResult toOld = deliver(gw, push(TargetKind.CONNECTION, oldConnection, "to the old id", 0, 3)).get(0);
        assertEquals(newConnection, toOld.movedTo(), toOld.toString());
      }
    }
  }

  /** A session socket that completes the upgrade and then neither reads nor answers: a phone in the background. */
  private RawClient sessionPeer(String user) {
    RawClient peer = RawClient.connect(gw.port);
    peer.write(RawClient.upgradeRequest("/ws", "Sec-WebSocket-Key: " + RawClient.KEY, "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: wx.session.v1", "Authorization: Bearer " + TestKeys.hs256(signer, user, 600)));
    RawClient.HttpResponse response = peer.readResponse();
    assertEquals(101, response == null ? -1 : response.status(), "the upgrade was not accepted");
    assertEquals("wx.session.v1", response.header("Sec-WebSocket-Protocol"));
    peer.sendText(new JsonObject().put("t", "hello").put("v", 1).encode());
    return peer;
  }

  /** The welcome's header, past any ping before it. */
  private static JsonObject welcome(RawClient peer) {
    for (RawClient.Frame f = peer.readFrame(); f != null; f = peer.readFrame()) {
      if (f.opcode() == RawClient.TEXT) {
        JsonObject header = new JsonObject(f.text());
        assertEquals("welcome", header.getString("t"), header.encode());
        return header;
      }
    }
    throw new AssertionError("the connection ended before the welcome");
  }
}
