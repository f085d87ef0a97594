package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static io.wxgateway.gateway.SessionProtocolTest.deliver;
import static io.wxgateway.gateway.SessionProtocolTest.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SessionOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Suspend, hold, resume with replay, refusals, expiry and receipts, against a fake bridge on the event bus. */
class SessionResumeTest {

  private final Vertx signer = Vertx.vertx();
  private final List<ReplayRequest> requests = new CopyOnWriteArrayList<>();
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

  private SessionClient connect(String user) {
    return SessionClient.connect(gw.vertx, gw.port, TestKeys.hs256(signer, user, 600));
  }

  /** A bridge that owns both partitions and answers every request with {@code pushes} after {@code delayMs}. */
  private void fakeBridge(long delayMs, Delivery... pushes) {
    gw.vertx.eventBus().<ReplayRequest>consumer(BusAddresses.REPLAY, m -> {
      ReplayRequest request = m.body();
      requests.add(request);
      gw.vertx.setTimer(delayMs, t -> gw.vertx.eventBus().send(request.replyTo(),
          new ReplayAnswer(request.requestId(), "bridge-1", 2, List.of(0, 1), true, null, List.of(pushes))));
    }).completion().await();
  }

  private ConsumerRecordView awaitEvent(String type, String reason) {
    return awaitEvent(type, reason, null);
  }

  /** The first lifecycle event of that type (and reason, and session, unless null). */
  private ConsumerRecordView awaitEvent(String type, String reason, String session) {
    var r = KafkaTestBroker.awaitRecords(gw.inbound, rec -> type.equals(header(rec, "ce_type"))
        && (session == null || session.equals(header(rec, "ce_sessionid")))
        && (reason == null || reason.equals(new JsonObject(text(rec)).getString("reason"))), 1,
        Duration.ofSeconds(20)).get(0);
    return new ConsumerRecordView(r.key(), new JsonObject(text(r)), header(r, "ce_sessionid"));
  }

  record ConsumerRecordView(String key, JsonObject value, String sessionId) {
  }

  @Test
  void aLostSocketSuspendsAndPushesToItAreHeldThenAResumeReplaysBeforeLivePushes() {
    start(new SessionOptions());
    SessionClient first = connect("erin");
    SessionClient.Frame welcome = first.hello(null);
    String session = welcome.header().getString("session");
    String oldConnection = welcome.header().getString("connectionId");
    deliver(gw, push(TargetKind.CONNECTION, oldConnection, "p1", 0, 6));
    assertEquals("0:6", first.next().header().getString("p"));
    first.ack("0:6");
    first.close();
    ConsumerRecordView suspend = awaitEvent("wx.session.suspend", null);
    assertEquals("client-closed", suspend.value().getString("reason"));
    assertEquals("erin", suspend.key());
    assertEquals(2, suspend.value().getInteger("epoch"));

    DeliveryResult byConnection = deliver(gw, push(TargetKind.CONNECTION, oldConnection, "missed", 0, 7)).get(0);
    assertEquals(List.of(session), byConnection.heldFor());
    assertTrue(byConnection.heldUntil() > System.currentTimeMillis());
    DeliveryResult byUser = deliver(gw, push(TargetKind.USER, "erin", "missed too", 1, 3)).get(0);
    assertEquals(0, byUser.delivered());
    assertEquals(List.of(session), byUser.heldFor());
    assertEquals(1, gw.node.registry().byUser("erin").size(), "the user did not go offline");

    fakeBridge(400, push(TargetKind.CONNECTION, oldConnection, "missed", 0, 7),
        push(TargetKind.USER, "erin", "missed too", 1, 3));
    try (SessionClient second = connect("erin")) {
      SessionClient.Frame resumed = second.hello(welcome.header().getString("token"));
      assertEquals(true, resumed.header().getBoolean("resumed"));
      assertEquals(session, resumed.header().getString("session"));
      assertNotEquals(welcome.header().getString("token"), resumed.header().getString("token"));
      String newConnection = resumed.header().getString("connectionId");
      // live pushes while the replay is gathered: one the replay also carries, one new
      deliver(gw, push(TargetKind.USER, "erin", "missed too", 1, 3), push(TargetKind.CONNECTION, newConnection,
          "live", 1, 4));
      SessionClient.Frame r1 = second.next();
      assertEquals("0:7", r1.header().getString("p"));
      assertEquals(true, r1.header().getBoolean("replay"));
      assertEquals("missed", r1.bodyText());
      assertEquals("1:3", second.next().header().getString("p"));
      SessionClient.Frame recovered = second.next();
      assertEquals(new JsonObject().put("t", "recovered").put("recovered", true).put("replayed", 2),
          recovered.header());
      SessionClient.Frame live = second.next();
      assertEquals("1:4", live.header().getString("p"));
      assertNull(live.header().getValue("replay"));

      ReplayRequest request = requests.get(0);
      assertEquals(session, request.sessionId());
      assertTrue(request.targets().containsAll(List.of("u:erin", "c:" + oldConnection)), request.targets().toString());
      assertEquals(Map.of(0, 6L), request.acked());
      ConsumerRecordView resume = awaitEvent("wx.session.resume", null);
      assertEquals(oldConnection, resume.value().getString("previousConnectionId"));
      assertEquals(true, resume.value().getBoolean("recovered"));
      assertEquals(2, resume.value().getInteger("replayed"));
      assertEquals(0, gw.node.registry().all().stream().filter(c -> c.connectionId().equals(oldConnection)).count(),
          "the placeholder is gone");
    }
  }

  @Test
  void aSilentBridgeMeansNotRecoveredAfterTheTimeout() {
    start(new SessionOptions().setReplayTimeoutMs(500));
    SessionClient first = connect("fay");
    String token = first.hello(null).header().getString("token");
    first.close();
    awaitEvent("wx.session.suspend", null);
    try (SessionClient second = connect("fay")) {
      assertEquals(true, second.hello(token).header().getBoolean("resumed"));
      SessionClient.Frame recovered = second.next();
      assertEquals("recovered", recovered.type());
      assertEquals(false, recovered.header().getBoolean("recovered"));
      assertEquals(0, recovered.header().getInteger("replayed"));
      assertNotEquals(null, recovered.header().getString("reason"));
    }
  }

  @Test
  void aReplayAskedBeforeABridgeOwnsPartitionsIsAskedAgainWhenItIsAssignedSome() {
    start(new SessionOptions().setReplayTimeoutMs(15_000));
    java.util.concurrent.atomic.AtomicBoolean assigned = new java.util.concurrent.atomic.AtomicBoolean();
    gw.vertx.eventBus().<ReplayRequest>consumer(BusAddresses.REPLAY, m -> { // a bridge that has just started
      ReplayRequest request = m.body();
      requests.add(request);
      gw.vertx.eventBus().send(request.replyTo(), new ReplayAnswer(request.requestId(), "bridge-1", 2,
          assigned.get() ? List.of(0, 1) : List.of(), true, null, List.of()));
    }).completion().await();
    SessionClient first = connect("jack");
    SessionClient.Frame welcome = first.hello(null);
    first.close();
    awaitEvent("wx.session.suspend", null, welcome.header().getString("session"));
    try (SessionClient second = connect("jack")) {
      assertEquals(true, second.hello(welcome.header().getString("token")).header().getBoolean("resumed"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> requests.size() == 1);
      assigned.set(true);
      gw.vertx.eventBus().publish(BusAddresses.BRIDGE_ASSIGNED, "bridge-1");
      SessionClient.Frame recovered = second.next();
      assertEquals(new JsonObject().put("t", "recovered").put("recovered", true).put("replayed", 0),
          recovered.header(), "recovered long before the replay timeout");
      assertEquals(2, requests.size());
    }
  }

  @Test
  void aResumeWhileTheOldSocketIsOpenTakesItOverWith4409() {
    start(new SessionOptions().setReplayTimeoutMs(300));
    SessionClient first = connect("gus");
    String token = first.hello(null).header().getString("token");
    try (SessionClient second = connect("gus")) {
      assertEquals(true, second.hello(token).header().getBoolean("resumed"));
      assertEquals(4409, first.socket.awaitClose().code());
      assertEquals("recovered", second.next().type());
    }
  }

  @Test
  void everyRefusalStartsANewSessionAndSaysWhy() {
    // a window a resume meets even on a loaded machine, short enough to wait for its expiry
    start(new SessionOptions().setResumeWindowMs(4_000).setReplayTimeoutMs(300));
    refused("hank", "not-a-token", "token-malformed");
    refused("hank", "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "session-unknown");

    SessionClient first = connect("hank");
    String firstToken = first.hello(null).header().getString("token");
    first.close();
    awaitEvent("wx.session.suspend", null);
    refused("ivy", firstToken, "user-mismatch");
    SessionClient second = connect("hank");
    SessionClient.Frame resumed = second.hello(firstToken);
    assertEquals(true, resumed.header().getBoolean("resumed"), "the refusal did not change the session");
    assertEquals("recovered", second.next().type());
    refused("hank", firstToken, "token-invalid"); // the old token, replayed
    second.send("{\"t\":\"bye\"}");
    second.socket.awaitClose();
    awaitEvent("wx.session.end", "bye");
    refused("hank", resumed.header().getString("token"), "session-ended");

    List<ReplayRequest> endings = new java.util.concurrent.CopyOnWriteArrayList<>();
    gw.vertx.eventBus().<ReplayRequest>consumer(BusAddresses.SESSION_ENDED, m -> endings.add(m.body()))
        .completion().await();
    SessionClient third = connect("hank");
    JsonObject thirdWelcome = third.hello(null).header();
    String thirdToken = thirdWelcome.getString("token");
    String thirdSession = thirdWelcome.getString("session");
    String thirdConnection = thirdWelcome.getString("connectionId");
    third.close();
    ConsumerRecordView expired = awaitEvent("wx.session.end", "expired", thirdSession);
    assertEquals("hank", expired.key());
    // the bridges are told, again while none answers for every partition, so they dead-letter its pushes
    Awaitility.await().atMost(5, TimeUnit.SECONDS)
        .until(() -> endings.stream().filter(e -> e.sessionId().equals(thirdSession)).count() >= 2);
    endings.stream().filter(e -> e.sessionId().equals(thirdSession)).forEach(e -> {
      assertEquals(List.of("u:hank", "c:" + thirdConnection), e.targets());
      assertTrue(e.sinceMs() > 0, "since its suspension");
    });
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().get(thirdConnection) == null);
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND,
        deliver(gw, push(TargetKind.CONNECTION, thirdConnection, "late", 0, 99)).get(0).error());
    refused("hank", thirdToken, "session-expired");
    assertEquals(1, gw.counter("wx.session.resumes", "outcome", "token-malformed"));
    assertEquals(1, gw.counter("wx.session.resumes", "outcome", "session-expired"));
  }

  private void refused(String user, String token, String reason) {
    try (SessionClient client = connect(user)) {
      SessionClient.Frame welcome = client.hello(token);
      assertEquals(false, welcome.header().getBoolean("resumed"), reason);
      assertEquals(false, welcome.header().getBoolean("recovered"), reason);
      assertEquals(reason, welcome.header().getString("reason"));
      assertTrue(!token.startsWith(welcome.header().getString("session")), "a new session");
    }
  }

  @Test
  void everyAcknowledgedPushGetsOneReceipt() {
    start(new SessionOptions());
    try (SessionClient client = connect("jo")) {
      SessionClient.Frame welcome = client.hello(null);
      String connection = welcome.header().getString("connectionId");
      deliver(gw, push(TargetKind.CONNECTION, connection, "a", 0, 10), push(TargetKind.USER, "jo", "b", 1, 11));
      client.next();
      client.next();
      client.ack("1:11", "0:10", "0:10");
      var receipts = KafkaTestBroker.awaitRecords(gw.receipts, r -> true, 2, Duration.ofSeconds(20));
      assertEquals(List.of("0:10", "1:11"), receipts.stream().map(r -> header(r, "ce_position")).sorted().toList());
      var first = receipts.stream().filter(r -> "0:10".equals(header(r, "ce_position"))).findFirst().orElseThrow();
      assertEquals("rec-10", header(first, "ce_pushid"));
      assertEquals("wx.push.receipt", header(first, "ce_type"));
      assertEquals(welcome.header().getString("session"), first.key());
      assertEquals(connection, header(first, "ce_connectionid"));
      assertEquals("jo", header(first, "ce_userid"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.counter("wx.session.receipts") == 2);
    }
  }

  @Test
  void aBackendsCloseEndsAnOpenSessionAndASuspendedOne() {
    start(new SessionOptions());
    SessionClient open = connect("kai");
    String openSession = open.hello(null).header().getString("session");
    String openConnection = gw.node.registry().byUser("kai").get(0).connectionId();
    deliver(gw, new Delivery(Delivery.Action.CLOSE, TargetKind.CONNECTION, openConnection,
        io.vertx.core.buffer.Buffer.buffer(), 4100, "logged out", null, 0));
    assertEquals(4100, open.socket.awaitClose().code());
    awaitEvent("wx.session.end", "closed-by-backend", openSession);

    SessionClient lost = connect("kai");
    String lostSession = lost.hello(null).header().getString("session");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().byUser("kai").size() == 1);
    String lostConnection = gw.node.registry().byUser("kai").get(0).connectionId();
    lost.close();
    awaitEvent("wx.session.suspend", null, lostSession);
    deliver(gw, new Delivery(Delivery.Action.CLOSE, TargetKind.USER, "kai", io.vertx.core.buffer.Buffer.buffer(),
        4100, "logged out", null, 0));
    awaitEvent("wx.session.end", "closed-by-backend", lostSession);
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().get(lostConnection) == null);
  }
}
