package io.wxgateway.bridge;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's pipeline against a real broker: several small polls in flight at once (max.poll.records
 * 5), a stand-in gateway node "gw-a" that answers when the test lets it. What must hold: order per
 * connection across polls, a bound on what a slow node makes the bridge hold, and no record committed
 * past one whose dead letter could not be written.
 */
class BridgePipelineTest {

  private static final int POLL_RECORDS = 5;

  private final Vertx vertx = Vertx.vertx();
  private final String outbound = KafkaTestBroker.uniqueTopic("wx.outbound");
  private final String dlq = KafkaTestBroker.uniqueTopic("wx.undelivered");
  private final String group = KafkaTestBroker.uniqueTopic("bridge");
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private final List<Message<Object>> held = new CopyOnWriteArrayList<>();
  private final Set<String> open = ConcurrentHashMap.newKeySet();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private volatile boolean holding;

  @BeforeEach
  void standInNode() {
    BusCodecs.register(vertx);
    vertx.eventBus().<Object>consumer(BusAddresses.deliveries("gw-a"), msg -> {
      if (holding) {
        held.add(msg);
      } else {
        StandInNode.reply(msg, this::answer);
      }
    }).completion().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void recordsForOneConnectionKeepTheirOrderAcrossPollsInFlightTogether() throws Exception {
    startBridge(new BridgeOptions().setMaxInFlightRecords(100), 3);
    List<String> connections = List.of(connection(), connection(), connection(), connection());
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String conn = connections.get(i % connections.size());
      records.add(record(conn, "m" + i, conn)); // keyed by connection: one partition each
    }
    KafkaTestBroker.sendAll(records);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> total() == 400);
    for (int c = 0; c < connections.size(); c++) {
      List<String> expected = new ArrayList<>();
      for (int i = c; i < 400; i += connections.size()) {
        expected.add("m" + i);
      }
      assertEquals(expected, received.get(connections.get(c)), "order of connection " + c);
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 400);
  }

  @Test
  void aNodeThatDoesNotAnswerStopsTheBridgePollingPastItsInFlightBound() throws Exception {
    int bound = 20;
    startBridge(new BridgeOptions().setMaxInFlightRecords(bound).setDeliveryTimeoutMs(60_000), 1);
    holding = true;
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String conn = connection(); // 200 targets: nothing waits on order, only on the bound
      records.add(record(conn, "m" + i, conn));
    }
    KafkaTestBroker.sendAll(records);
    // The node holds the first request; what the bridge polls meanwhile queues for that node.
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> consumed() >= bound);
    int most = bound + POLL_RECORDS - 1; // polls go on while fewer than the bound are unsettled
    Awaitility.await().during(2, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS).until(() -> consumed() <= most);
    assertEquals(0, KafkaTestBroker.committed(group), "nothing is committed while nothing is answered");

    holding = false;
    vertx.runOnContext(v -> held.forEach(m -> StandInNode.reply(m, this::answer))); // the rest follow
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> total() == 200);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 200);
  }

  @Test
  void whileDeadLettersCannotBeWrittenNothingIsCommittedAndTheBatchIsConsumedAgain() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
      // The dead-letter topic refuses anything over 100 bytes, so the dead letter below cannot be written.
      admin.createTopics(List.of(new NewTopic(dlq, 1, (short) 1).configs(Map.of("max.message.bytes", "100"))))
          .all().get();
      startBridge(new BridgeOptions().setRetryBackoffMs(100), 1);
      String conn = connection();
      String gone = ConnectionId.generate("gw-a").value();
      KafkaTestBroker.sendAll(List.of(record(conn, "before", conn), record(conn, "x".repeat(1000), gone), record(conn, "after", conn)));

      Awaitility.await().atMost(30, TimeUnit.SECONDS)
          .until(() -> received.getOrDefault(conn, List.of()).stream().filter("before"::equals).count() >= 3);
      assertEquals(0, KafkaTestBroker.committed(group), "no offset passes a record that is neither delivered nor dead-lettered");

      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, dlq);
      admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
          new ConfigEntry("max.message.bytes", "1048576"), AlterConfigOp.OpType.SET)))).all().get();
      List<ConsumerRecord<String, byte[]>> letters =
          KafkaTestBroker.awaitRecords(dlq, r -> true, 1, Duration.ofSeconds(30));
      assertEquals("connection-not-found", header(letters.get(0), "ce_deliveryerror"));
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 3);
      List<String> got = received.get(conn);
      assertEquals("after", got.get(got.size() - 1), "the record after the failed one is delivered, last");
    }
  }

  @Test
  void aDeadLetterTooLargeForKafkaIsWrittenWithoutItsValueAndSaysWhereTheOriginalIs() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(dlq, 1, (short) 1).configs(Map.of("max.message.bytes", "2000"))))
          .all().get();
    }
    startBridge(new BridgeOptions().setRetryBackoffMs(100), 1);
    String conn = connection();
    String gone = ConnectionId.generate("gw-a").value();
    KafkaTestBroker.sendAll(List.of(record(gone, "x".repeat(5000), gone), record(conn, "after", conn)));

    ConsumerRecord<String, byte[]> letter = KafkaTestBroker.awaitRecords(dlq, r -> true, 1, Duration.ofSeconds(30)).get(0);
    assertEquals("connection-not-found", header(letter, "ce_deliveryerror"));
    assertEquals(null, letter.value(), "the value is left out");
    String detail = header(letter, "ce_deliverydetail");
    assertTrue(detail.contains("value of 5000 bytes omitted") && detail.contains(outbound + "-0@0"), detail);
    assertEquals(gone, header(letter, "ce_connectionid"), "the original headers are kept");
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 2);
    assertEquals(List.of("after"), received.get(conn), "the bridge went on");
  }

  @Test
  void commitsWaitForTheIntervalButAStoppingBridgeCommitsEverythingItDelivered() throws Exception {
    BridgeNode bridge = startBridge(new BridgeOptions().setCommitIntervalMs(600_000), 1);
    String conn = connection();
    List<ProducerRecord<String, byte[]>> first = new ArrayList<>();
    List<ProducerRecord<String, byte[]>> second = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      first.add(record(conn, "a" + i, conn));
      second.add(record(conn, "b" + i, conn));
    }
    KafkaTestBroker.sendAll(first);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> total() == 10 && KafkaTestBroker.committed(group) > 0); // the first goes at once
    long early = KafkaTestBroker.committed(group);
    KafkaTestBroker.sendAll(second);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> total() == 20);
    Awaitility.await().during(1, TimeUnit.SECONDS).atMost(3, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == early);

    bridge.undeploy().await();
    assertEquals(20, KafkaTestBroker.committed(group), "stopping commits what was delivered, interval or not");
  }

  private BridgeNode startBridge(BridgeOptions options, int partitions) {
    KafkaTestBroker.createTopics(partitions, outbound);
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setOutboundTopic(outbound).setDeadLetterTopic(dlq)
        .setProperties(Map.of("max.poll.records", Integer.toString(POLL_RECORDS)));
    BridgeNode bridge = new BridgeNode(options.setGroupId(group), kafka, meters);
    bridge.deploy(vertx).await();
    return bridge;
  }

  private DeliveryResult answer(Delivery d) {
    if (open.contains(d.target())) {
      received.computeIfAbsent(d.target(), k -> new CopyOnWriteArrayList<>()).add(d.payload().toString());
      return DeliveryResult.delivered(1);
    }
    return DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "no open socket " + d.target());
  }

  private double consumed() {
    return meters.find("wx.outbound.records").counter().count();
  }

  private String connection() {
    String id = ConnectionId.generate("gw-a").value();
    open.add(id);
    return id;
  }

  private int total() {
    return received.values().stream().mapToInt(Collection::size).sum();
  }


  private ProducerRecord<String, byte[]> record(String key, String value, String connection) {
    RecordHeaders h = new RecordHeaders();
    h.add("ce_connectionid", connection.getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(outbound, null, key, value.getBytes(StandardCharsets.UTF_8), h);
  }
}
