package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.Action;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.options.SessionOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.process.Ports;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session resumed on another node. Both nodes run in one Vert.x instance, so they share its session
 * map and event bus as clustered nodes do (the deploy module's cluster test runs them as processes).
 */
class SessionAcrossNodesTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<ReplayRequest> requests = new CopyOnWriteArrayList<>();
  private final String inbound = KafkaTestBroker.uniqueTopic("wx.inbound");
  private final String receipts = KafkaTestBroker.uniqueTopic("wx.receipts");
  private GatewayNode nodeA;
  private int portA;
  private int portB;

  @BeforeEach
  void start() {
    KafkaTestBroker.createTopics(2, inbound, receipts);
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setInboundTopic(inbound).setReceiptsTopic(receipts);
    portA = Ports.free();
    portB = Ports.free();
    nodeA = node("gw-a", portA, kafka);
    node("gw-b", portB, kafka);
    vertx.eventBus().<ReplayRequest>consumer(BusAddresses.REPLAY, m -> {
      requests.add(m.body());
      Delivery missed = new Delivery(Action.SEND_TEXT, TargetKind.USER, "kim", Buffer.buffer("missed"), 0, null,
          "rec-9", 0, 1, 9);
      vertx.eventBus().send(m.body().replyTo(), new ReplayAnswer(m.body().requestId(), "bridge-1", 2, List.of(0, 1),
          true, null, List.of(missed)));
    }).completion().await();
  }

  private GatewayNode node(String id, int port, KafkaOptions kafka) {
    GatewayOptions options = new GatewayOptions().setNodeId(id).setHost("127.0.0.1").setPort(port).setInstances(1)
        .setSession(new SessionOptions().setCheckpointIntervalMs(600_000))
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET));
    GatewayNode node = new GatewayNode(options, kafka, new SimpleMeterRegistry());
    node.deploy(vertx).await();
    return node;
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private SessionClient connect(int port) {
    return SessionClient.connect(vertx, port, TestKeys.hs256(vertx, "kim", 600));
  }

  @Test
  void aSessionSuspendedOnOneNodeResumesOnTheOtherWhichDropsItsPlaceholder() {
    SessionClient first = connect(portA);
    SessionClient.Frame welcome = first.hello(null);
    String connection = welcome.header().getString("connectionId");
    first.close();
    KafkaTestBroker.awaitRecords(inbound, r -> "wx.session.suspend".equals(header(r, "ce_type")), 1,
        Duration.ofSeconds(20));
    assertTrue(nodeA.registry().get(connection) != null, "the placeholder");
    try (SessionClient back = connect(portB)) {
      JsonObject resumed = back.hello(welcome.header().getString("token")).header();
      assertEquals(true, resumed.getBoolean("resumed"));
      SessionClient.Frame replayed = back.next();
      assertEquals("1:9", replayed.header().getString("p"));
      assertEquals(true, back.next().header().getBoolean("recovered"));
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> nodeA.registry().get(connection) == null);
      assertMovedTo(connection, resumed.getString("connectionId"));
      var resume = KafkaTestBroker.awaitRecords(inbound, r -> "wx.session.resume".equals(header(r, "ce_type")), 1,
          Duration.ofSeconds(20)).get(0);
      JsonObject value = new JsonObject(text(resume));
      assertEquals("gw-b", value.getString("node"));
      assertEquals(3, value.getInteger("epoch"), "open, suspend, resume");
    }
  }

  @Test
  void aResumeWhileTheOldSocketLooksOpenTakesItOverWithItsAcknowledgedPositions() {
    SessionClient first = connect(portA);
    SessionClient.Frame welcome = first.hello(null);
    String connection = welcome.header().getString("connectionId");
    vertx.eventBus().<DeliveryResults>request(BusAddresses.deliveries("gw-a"), new DeliveryBatch(List.of(
        new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, connection, Buffer.buffer("seen"), 0, null, "rec-6", 0,
            0, 6)))).await();
    assertEquals("0:6", first.next().header().getString("p"));
    first.ack("0:6");
    KafkaTestBroker.awaitRecords(receipts, r -> "0:6".equals(header(r, "ce_position")), 1, Duration.ofSeconds(20));
    try (SessionClient back = connect(portB)) {
      JsonObject resumed = back.hello(welcome.header().getString("token")).header();
      assertEquals(true, resumed.getBoolean("resumed"));
      assertEquals(4409, first.socket.awaitClose().code());
      assertEquals("1:9", back.next().header().getString("p"));
      assertEquals(Map.of(0, 6L), requests.get(0).acked(), "the old node's acknowledged positions, not a checkpoint");
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> nodeA.registry().get(connection) == null);
      assertMovedTo(connection, resumed.getString("connectionId"));
    }
  }

  /**
   * The phone's messages whose {@code got} was lost with its socket: the SDK sends them again, with their
   * ids, on the socket it resumes on. The node the session resumes on learns from the old one which of
   * them Kafka took, confirms those at once and relays only the others: each reaches Kafka once.
   */
  @Test
  void aMessageSentAgainAfterAResumeElsewhereIsConfirmedNotRelayedTwice() {
    SessionClient first = connect(portA);
    SessionClient.Frame welcome = first.hello(null);
    first.send("{\"t\":\"msg\",\"id\":\"page.1\"}\nfirst");
    assertEquals(List.of("page.1"), first.next().header().getJsonArray("ids").getList());
    first.close(); // as if that got had been lost with the socket
    KafkaTestBroker.awaitRecords(inbound, r -> "wx.session.suspend".equals(header(r, "ce_type")), 1,
        Duration.ofSeconds(20));
    try (SessionClient back = connect(portB)) {
      assertEquals(true, back.hello(welcome.header().getString("token")).header().getBoolean("resumed"));
      back.send("{\"t\":\"msg\",\"id\":\"page.1\"}\nfirst").send("{\"t\":\"msg\",\"id\":\"page.2\"}\nsecond");
      List<Object> confirmed = new java.util.ArrayList<>();
      while (confirmed.size() < 2) {
        SessionClient.Frame f = back.next();
        if ("got".equals(f.type())) {
          confirmed.addAll(f.header().getJsonArray("ids").getList());
        }
      }
      assertEquals(List.of("page.1", "page.2"), confirmed);
      // page.2 is confirmed, so node b relayed page.1 before it if it relayed it at all
      assertEquals(List.of("page.1", "page.2"), clientMessageIds(), "each once: page.1 from node a only");
    }
  }

  /** The ce_clientmsgid of every record now in the inbound topic, in the order of their times. */
  private List<String> clientMessageIds() {
    List<ConsumerRecord<String, byte[]>> all = new java.util.ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.consumer(List.of(inbound))) {
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(all::add);
        var assigned = consumer.assignment();
        return !assigned.isEmpty() && consumer.endOffsets(assigned).entrySet().stream()
            .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
      });
    }
    return all.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::timestamp))
        .map(r -> header(r, "ce_clientmsgid")).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * A backend's answer to the connection a message came from, after the phone resumed elsewhere: the old
   * node answers with the connection the session goes on as, for the bridge to follow.
   */
  private void assertMovedTo(String oldConnection, String newConnection) {
    DeliveryResults answer = vertx.eventBus().<DeliveryResults>request(BusAddresses.deliveries("gw-a"),
        new DeliveryBatch(List.of(new Delivery(Action.SEND_TEXT, TargetKind.CONNECTION, oldConnection,
            Buffer.buffer("late answer"), 0, null, "rec-20", 0, 0, 20)))).await().body();
    assertEquals(newConnection, answer.results().get(0).movedTo(), answer.results().get(0).toString());
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, answer.results().get(0).error(),
        "a bridge that does not follow moves dead-letters it as before");
  }
}
