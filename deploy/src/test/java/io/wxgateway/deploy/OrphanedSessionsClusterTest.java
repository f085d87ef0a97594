package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway node dies holding sessions (its process gone: nobody suspends them, nobody expires
 * them). Another node adopts them: the backend sees each one suspended ({@code node-lost}) and, if
 * its phone does not come back within the window, ended ({@code expired}), each exactly once; a phone
 * that comes back resumes on a live node and its session never ends, and does not get in its replay
 * what was dead-lettered while no node held it. A node that stops for good hands its suspended
 * sessions over the same way. Gateway nodes and a bridge
 * over Hazelcast on loopback, the real broker, real clients of the session protocol.
 */
class OrphanedSessionsClusterTest {

  private static final long WINDOW_MS = 6_000;
  private static final Map<String, String> SESSION_SETTINGS = Map.of(
      "WXGW_GATEWAY_SESSION_RESUME_WINDOW_MS", Long.toString(WINDOW_MS),
      "WXGW_GATEWAY_SESSION_REPLAY_TIMEOUT_MS", "4000",
      "WXGW_BRIDGE_HELD_GRACE_MS", "1000");
  private static TestCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(4);
    cluster.start("gw-1", 0, "gateway", SESSION_SETTINGS);
    cluster.start("gw-2", 1, "gateway", SESSION_SETTINGS);
    cluster.start("br-1", 2, "bridge", SESSION_SETTINGS);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 3);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.of("gw-1", "gw-2")));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theSessionsOfADeadNodeAreSuspendedByAnotherAndExpireUnlessTheirPhoneComesBack() {
    SessionClient gone = connect("gw-2", "orphan-gone", null);
    SessionClient back = connect("gw-2", "orphan-back", null);
    JsonObject goneWelcome = gone.await("welcome").header();
    JsonObject backWelcome = back.await("welcome").header();
    String goneId = goneWelcome.getString("session");
    String backId = backWelcome.getString("session");
    sessionEvent(goneId, "wx.session.open");
    sessionEvent(backId, "wx.session.open");

    cluster.crash("gw-2");
    JsonObject suspended = value(sessionEvent(goneId, "wx.session.suspend"));
    assertEquals("node-lost", suspended.getString("reason"));
    assertEquals("gw-1", suspended.getString("node"), "published by the node that adopted it");
    assertTrue(suspended.getLong("expiresAt") > System.currentTimeMillis() + WINDOW_MS / 2,
        "a whole window from the adoption, not from the death: " + suspended);

    // no node holds the phone now: the push is dead-lettered, and that must stay its only outcome
    cluster.send("orphan-back-gap", "in the gap", "ce_userid", "orphan-back", "ce_id", "p-gap");
    String gapError = header(cluster.deadLetter("orphan-back-gap"), "ce_deliveryerror");
    assertTrue(Set.of("user-offline", "node-unreachable").contains(gapError), gapError);

    SessionClient resumed = SessionClient.resume(cluster.clients(), cluster.gatewayPort("gw-1"),
        "/ws?token=" + cluster.tokenFor("orphan-back"), backWelcome.getString("token"), back);
    JsonObject welcome = resumed.await("welcome").header();
    assertTrue(welcome.getBoolean("resumed"), welcome.encode());
    assertEquals(backId, welcome.getString("session"));
    sessionEvent(backId, "wx.session.resume");
    cluster.send("orphan-back", "after the death", "ce_userid", "orphan-back", "ce_id", "p-1");
    assertEquals(List.of("after the death"), resumed.awaitSeen(1), "a dead-lettered push is not replayed too");

    JsonObject ended = value(sessionEvent(goneId, "wx.session.end"));
    assertEquals("expired", ended.getString("reason"));
    assertEquals(suspended.getInteger("epoch") + 1, ended.getInteger("epoch"));
    assertEquals(List.of("wx.session.open", "wx.session.suspend", "wx.session.end"), typesOf(goneId),
        "each transition once");
    List<String> backTypes = typesOf(backId);
    assertFalse(backTypes.contains("wx.session.end"), "the phone came back: " + backTypes);

    SessionClient late = connect("gw-1", "orphan-gone", goneWelcome.getString("token"));
    JsonObject refused = late.await("welcome").header();
    assertFalse(refused.getBoolean("resumed"));
    assertEquals("session-expired", refused.getString("reason"));
    late.close();
    resumed.close();
  }

  @Test
  void aNodeThatStopsForGoodHandsItsSuspendedSessionsToAnotherWhichExpiresThem() throws Exception {
    cluster.start("gw-3", 3, "gateway", SESSION_SETTINGS);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().contains("gw-3"));
    SessionClient phone = connect("gw-3", "orphan-drained", null);
    String id = phone.await("welcome").header().getString("session");
    sessionEvent(id, "wx.session.open");

    cluster.remove("gw-3").stop(); // the drain suspends the session, then the node is gone
    assertEquals("drain", value(sessionEvent(id, "wx.session.suspend")).getString("reason"));
    JsonObject ended = value(sessionEvent(id, "wx.session.end"));
    assertEquals("expired", ended.getString("reason"));
    assertEquals("gw-1", ended.getString("node"), "expired by the node that took it over");
    assertEquals(List.of("wx.session.open", "wx.session.suspend", "wx.session.end"), typesOf(id));
  }

  private static SessionClient connect(String node, String user, String resumeToken) {
    return SessionClient.connect(cluster.clients(), cluster.gatewayPort(node), "/ws?token=" + cluster.tokenFor(user),
        resumeToken);
  }

  private static ConsumerRecord<String, byte[]> sessionEvent(String sessionId, String type) {
    return KafkaTestBroker.awaitRecords(cluster.inboundTopic(),
        r -> type.equals(header(r, "ce_type")) && sessionId.equals(header(r, "ce_sessionid")), 1,
        Duration.ofSeconds(40)).get(0);
  }

  /** The types of the session's events, in order, read up to the topic's end as of now. */
  private static List<String> typesOf(String sessionId) {
    List<String> types = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.consumer(List.of(cluster.inboundTopic()))) {
      Map<TopicPartition, Long> ends = null;
      while (ends == null || ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (sessionId.equals(header(r, "ce_sessionid"))) {
            types.add(header(r, "ce_type"));
          }
        }
        if (ends == null && !consumer.assignment().isEmpty()) {
          ends = consumer.endOffsets(consumer.assignment());
        }
      }
    }
    return types;
  }

  private static JsonObject value(ConsumerRecord<String, byte[]> r) {
    return new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
  }
}
