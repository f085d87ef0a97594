package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sessions that survive the background, end to end: two gateway nodes and a bridge over Hazelcast on
 * loopback, the real broker, and clients of the session protocol whose sockets are reset as the
 * system kills a backgrounded mini program's (a {@link CutProxy} in front of the first node). Pushes by
 * user and by connection arrive in the gap; the client resumes on the other node and sees every push
 * once, in order; receipts and lifecycle events are in Kafka; a window that passes dead-letters the
 * held pushes {@code session-expired}; a bridge restarted in the gap still recovers the session; bad
 * tokens are refused and never get another session's pushes.
 *
 * <p>The tests share one cluster and run in order; each uses users of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionResumeClusterTest {

  /** Short enough for the expiry test, long enough for a resume on a loaded machine. */
  private static final long WINDOW_MS = 8_000;
  private static final Map<String, String> SESSION_SETTINGS = Map.of(
      "WXGW_GATEWAY_SESSION_RESUME_WINDOW_MS", Long.toString(WINDOW_MS),
      "WXGW_GATEWAY_SESSION_REPLAY_TIMEOUT_MS", "8000",
      "WXGW_BRIDGE_HELD_GRACE_MS", "1000");
  private static TestCluster cluster;
  private static CutProxy toFirst;

  /** Hazelcast port indexes: gw-1, gw-2, br-1 (0 to 2); br-2 3; br-3 4. */
  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(5);
    cluster.start("gw-1", 0, "gateway", SESSION_SETTINGS);
    cluster.start("gw-2", 1, "gateway", SESSION_SETTINGS);
    cluster.start("br-1", 2, "bridge", SESSION_SETTINGS);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 3);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.of("gw-1", "gw-2")));
    toFirst = new CutProxy(cluster.gatewayPort("gw-1"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (toFirst != null) {
      toFirst.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SessionClient connect(int port, String user, String resumeToken) {
    return SessionClient.connect(cluster.clients(), port, "/ws?token=" + cluster.tokenFor(user), resumeToken);
  }

  /** The phone back on {@code node} with the token it was given, remembering what it took before. */
  private static SessionClient resume(String node, String user, SessionClient phone, String token) {
    return SessionClient.resume(cluster.clients(), cluster.gatewayPort(node), "/ws?token=" + cluster.tokenFor(user),
        token, phone);
  }

  /**
   * Cuts the phone's socket, then pushes {@code byUser} and {@code byConnection} and waits until the
   * bridges have committed past them (held: a bridge that takes over knows them only from Kafka).
   * Returns every value pushed, in order.
   */
  private static List<String> cutAndHold(String user, JsonObject welcome, List<String> byUser,
      List<String> byConnection) throws Exception {
    toFirst.cut();
    sessionEvent(welcome.getString("session"), "wx.session.suspend");
    long committed = cluster.committedByBridges();
    push(user, null, byUser);
    push(user, welcome.getString("connectionId"), byConnection);
    List<String> gap = new ArrayList<>(byUser);
    gap.addAll(byConnection);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.committedByBridges() >= committed + gap.size());
    return gap;
  }

  /** Pushes {@code values} in order, to the user or (when {@code connectionId} is set) to one connection; one key, so one partition. */
  private static void push(String user, String connectionId, List<String> values) {
    List<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (String v : values) {
      records.add(connectionId == null ? cluster.record(user, v, "ce_userid", user, "ce_id", v)
          : cluster.record(user, v, "ce_connectionid", connectionId, "ce_id", v));
    }
    KafkaTestBroker.sendAll(records);
  }

  private static List<String> values(String prefix, int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toList();
  }

  private static ConsumerRecord<String, byte[]> sessionEvent(String sessionId, String type) {
    return KafkaTestBroker.awaitRecords(cluster.inboundTopic(),
        r -> type.equals(header(r, "ce_type")) && sessionId.equals(header(r, "ce_sessionid")), 1,
        Duration.ofSeconds(30)).get(0);
  }

  private static JsonObject value(ConsumerRecord<String, byte[]> r) {
    return new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
  }

  /** The resumed client's welcome, after checking it says resumed and that a recovered: true followed. */
  private static JsonObject resumedAndRecovered(SessionClient back) {
    JsonObject welcome = back.await("welcome").header();
    assertTrue(welcome.getBoolean("resumed"), welcome.encode());
    JsonObject recovered = back.await("recovered").header();
    assertTrue(recovered.getBoolean("recovered"), recovered.encode());
    return welcome;
  }

  /** Connects through the proxy to gw-1, gets pushes a1-a2 and acknowledges them. */
  private static SessionClient[] sessionOnFirstNode(String user, JsonObject[] welcome) {
    SessionClient phone = connect(toFirst.port(), user, null);
    welcome[0] = phone.await("welcome").header();
    assertEquals(SessionClient.SUBPROTOCOL, phone.subProtocol());
    assertFalse(welcome[0].getBoolean("resumed"));
    cluster.awaitPresence(user, Set.of("gw-1"));
    push(user, null, List.of(user + "-a1"));
    push(user, welcome[0].getString("connectionId"), List.of(user + "-a2"));
    assertEquals(List.of(user + "-a1", user + "-a2"), phone.awaitSeen(2));
    phone.ackAll();
    return new SessionClient[] {phone};
  }

  @Test
  @Order(1)
  void aPhoneThatComesBackOnTheOtherNodeSeesEveryPushOnceInOrderAndTheBackendSeesItAll() {
    String user = "resume-user";
    JsonObject[] welcome = new JsonObject[1];
    SessionClient phone = sessionOnFirstNode(user, welcome)[0];
    String session = welcome[0].getString("session");
    String firstConnection = welcome[0].getString("connectionId");
    sessionEvent(session, "wx.session.open");

    toFirst.cut(); // the system kills the backgrounded mini program's socket
    assertEquals("connection-lost", value(sessionEvent(session, "wx.session.suspend")).getString("reason"));
    List<String> gap = new ArrayList<>(values(user + "-b", 1, 5));
    push(user, null, gap);
    List<String> toConnection = values(user + "-c", 1, 5);
    push(user, firstConnection, toConnection);
    gap.addAll(toConnection);

    try (SessionClient back = resume("gw-2", user, phone, welcome[0].getString("token"))) {
      JsonObject resumed = back.await("welcome").header();
      assertTrue(resumed.getBoolean("resumed"), resumed.encode());
      assertEquals(session, resumed.getString("session"));
      assertNotEquals(welcome[0].getString("token"), resumed.getString("token"));
      JsonObject recovered = back.await("recovered").header();
      assertTrue(recovered.getBoolean("recovered"), recovered.encode());
      push(user, null, List.of(user + "-d1")); // a new push comes after every replayed one
      List<String> expected = new ArrayList<>(gap);
      expected.add(user + "-d1");
      assertEquals(expected, back.awaitSeen(expected.size()));
      back.ackAll();

      JsonObject resume = value(sessionEvent(session, "wx.session.resume"));
      assertEquals(firstConnection, resume.getString("previousConnectionId"));
      assertTrue(resume.getBoolean("recovered"));
      Set<String> acked = new java.util.HashSet<>(expected);
      acked.add(user + "-a1");
      acked.add(user + "-a2");
      List<ConsumerRecord<String, byte[]>> receipts = KafkaTestBroker.awaitRecords(cluster.receiptsTopic(),
          r -> session.equals(header(r, "ce_sessionid")), acked.size(), Duration.ofSeconds(30));
      assertEquals(acked, receipts.stream().map(r -> header(r, "ce_pushid")).collect(Collectors.toSet()));
      assertEquals(Set.of(), cluster.deadLettered(acked), "nothing the phone got is a dead letter");
    }
    phone.close();
  }

  @Test
  @Order(2)
  void aSessionNotResumedInItsWindowIsToldRecoveredFalseAndItsHeldPushesAreDeadLettered() {
    String user = "expiring-user";
    JsonObject[] welcome = new JsonObject[1];
    SessionClient phone = sessionOnFirstNode(user, welcome)[0];
    String session = welcome[0].getString("session");
    toFirst.cut();
    sessionEvent(session, "wx.session.suspend");
    List<String> gap = values(user + "-e", 1, 3);
    push(user, welcome[0].getString("connectionId"), gap);

    assertEquals("expired", value(sessionEvent(session, "wx.session.end")).getString("reason"));
    List<ConsumerRecord<String, byte[]>> dead = KafkaTestBroker.awaitRecords(cluster.deadLetterTopic(),
        r -> gap.contains(header(r, "ce_id")), gap.size(), Duration.ofSeconds(30));
    dead.forEach(r -> assertEquals("session-expired", header(r, "ce_deliveryerror")));

    try (SessionClient late = resume("gw-2", user, phone, welcome[0].getString("token"))) {
      JsonObject refused = late.await("welcome").header();
      assertFalse(refused.getBoolean("resumed"));
      assertFalse(refused.getBoolean("recovered"));
      assertEquals("session-expired", refused.getString("reason"));
      assertNotEquals(session, refused.getString("session"));
      assertEquals(List.of(), late.drain(Duration.ofSeconds(1)), "none of the expired session's pushes");
    }
    phone.close();
  }

  @Test
  @Order(3)
  void aBridgeRestartedDuringTheGapStillRecoversTheSession() throws Exception {
    String user = "restart-user";
    JsonObject[] welcome = new JsonObject[1];
    SessionClient phone = sessionOnFirstNode(user, welcome)[0];
    List<String> gap = cutAndHold(user, welcome[0], values(user + "-f", 1, 4), List.of());
    assertEquals(Set.of(), cluster.deadLettered(Set.copyOf(gap)));

    cluster.remove("br-1").stop();
    cluster.start("br-2", 3, "bridge", SESSION_SETTINGS);

    try (SessionClient back = resume("gw-2", user, phone, welcome[0].getString("token"))) {
      resumedAndRecovered(back);
      assertEquals(gap, back.seen());
    }
    phone.close();
  }

  @Test
  @Order(4)
  void aBridgeRestartedDuringTheGapStillDeadLettersTheSessionsPushesWhenTheWindowPasses() throws Exception {
    String user = "restart-expiring-user";
    JsonObject[] welcome = new JsonObject[1];
    SessionClient phone = sessionOnFirstNode(user, welcome)[0];
    String session = welcome[0].getString("session");
    KafkaTestBroker.awaitRecords(cluster.receiptsTopic(), r -> session.equals(header(r, "ce_sessionid")), 2,
        Duration.ofSeconds(30)); // a1 and a2 acknowledged before the cut, not in flight
    List<String> gap = cutAndHold(user, welcome[0], values(user + "-g", 1, 3), values(user + "-h", 1, 2));

    // the holds were in this bridge's memory: its successor knows the pushes only from Kafka
    cluster.remove("br-2").stop();
    cluster.start("br-3", 4, "bridge", SESSION_SETTINGS);

    assertEquals("expired", value(sessionEvent(session, "wx.session.end")).getString("reason"));
    List<ConsumerRecord<String, byte[]>> dead = KafkaTestBroker.awaitRecords(cluster.deadLetterTopic(),
        r -> gap.contains(header(r, "ce_id")), gap.size(), Duration.ofSeconds(60));
    assertEquals(Set.copyOf(gap), dead.stream().map(r -> header(r, "ce_id")).collect(Collectors.toSet()),
        "each push of the gap dead-lettered once");
    for (ConsumerRecord<String, byte[]> r : dead) {
      assertEquals("session-expired", header(r, "ce_deliveryerror"));
      assertTrue(header(r, "ce_deliverydetail").contains(session), header(r, "ce_deliverydetail"));
    }
    assertEquals(Set.of(), cluster.deadLettered(Set.of(user + "-a1", user + "-a2")),
        "the pushes the phone acknowledged before the cut are not dead letters");
    phone.close();
  }

  @Test
  @Order(5)
  void forgedOtherUsersAndReplayedTokensAreRefusedAndGetNoneOfTheSessionsPushes() {
    String owner = "token-owner";
    JsonObject[] welcome = new JsonObject[1];
    SessionClient phone = sessionOnFirstNode(owner, welcome)[0];
    String token = welcome[0].getString("token");
    String sessionId = welcome[0].getString("session");

    Map<String, String> refusals = new java.util.LinkedHashMap<>();
    refusals.put("not-a-token", "token-malformed");
    refusals.put("AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "session-unknown");
    refusals.put(sessionId + ".BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "token-invalid");
    for (Map.Entry<String, String> r : refusals.entrySet()) {
      try (SessionClient forged = connect(cluster.gatewayPort("gw-2"), owner, r.getKey())) {
        JsonObject w = forged.await("welcome").header();
        assertFalse(w.getBoolean("resumed"), r.getKey());
        assertEquals(r.getValue(), w.getString("reason"));
      }
    }
    try (SessionClient thief = connect(cluster.gatewayPort("gw-2"), "token-thief", token)) {
      JsonObject w = thief.await("welcome").header();
      assertFalse(w.getBoolean("resumed"));
      assertEquals("user-mismatch", w.getString("reason"));
      push(owner, welcome[0].getString("connectionId"), List.of("owner-only"));
      assertEquals(List.of("owner-only"), phone.awaitSeen(3).subList(2, 3));
      assertEquals(List.of(), thief.drain(Duration.ofSeconds(1)));
    }
    toFirst.cut();
    try (SessionClient back = resume("gw-2", owner, phone, token)) {
      JsonObject w = back.await("welcome").header();
      assertTrue(w.getBoolean("resumed"));
      try (SessionClient replayed = connect(cluster.gatewayPort("gw-1"), owner, token)) {
        JsonObject again = replayed.await("welcome").header();
        assertFalse(again.getBoolean("resumed"), "a token works once");
        assertEquals("token-invalid", again.getString("reason"));
      }
    }
    phone.close();
  }

  /**
   * A backend answers the connection a message came from, and by then the phone has resumed its session,
   * twice: once on the same node, then on the other. The answer follows the session to its socket.
   */
  @Test
  @Order(6)
  void aPushToAConnectionThePhoneHadBeforeItResumedReachesTheSocketItResumedOn() {
    String user = "moved-user";
    JsonObject[] welcome = new JsonObject[1];
    SessionClient phone = sessionOnFirstNode(user, welcome)[0];
    String first = welcome[0].getString("connectionId");
    toFirst.cut();
    sessionEvent(welcome[0].getString("session"), "wx.session.suspend");
    SessionClient sameNode = SessionClient.resume(cluster.clients(), toFirst.port(),
        "/ws?token=" + cluster.tokenFor(user), welcome[0].getString("token"), phone);
    JsonObject second = resumedAndRecovered(sameNode);
    toFirst.cut();
    try (SessionClient back = resume("gw-2", user, sameNode, second.getString("token"))) {
      resumedAndRecovered(back);
      push(user, first, List.of(user + "-late1"));
      push(user, second.getString("connectionId"), List.of(user + "-late2"));
      assertEquals(List.of(user + "-late1", user + "-late2"), back.awaitSeen(2));
      assertEquals(Set.of(), cluster.deadLettered(Set.of(user + "-late1", user + "-late2")));
    }
    sameNode.close();
    phone.close();
  }
}
