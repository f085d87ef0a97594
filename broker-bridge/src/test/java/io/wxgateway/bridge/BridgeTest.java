package io.wxgateway.bridge;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge against a real broker. Gateway nodes are stood in for by event-bus consumers on their
 * delivery addresses (the real gateway is exercised end to end in the deploy module's tests).
 */
class BridgeTest {

  private final Vertx vertx = Vertx.vertx();
  private final String outbound = KafkaTestBroker.uniqueTopic("wx.outbound");
  private final String dlq = KafkaTestBroker.uniqueTopic("wx.undelivered");
  private final String group = KafkaTestBroker.uniqueTopic("bridge");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** What the stand-in node "gw-a" received, per connection, in arrival order. */
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private final List<String> openConnections = new CopyOnWriteArrayList<>();
  private BridgeNode bridge;

  @BeforeEach
  void start() {
    KafkaTestBroker.createTopics(3, outbound, dlq);
    BusCodecs.register(vertx);
    StandInNode.register(vertx, "gw-a", d -> {
      if (d.targetKind() == Delivery.TargetKind.CONNECTION && openConnections.contains(d.target())) {
        received.computeIfAbsent(d.target(), k -> new CopyOnWriteArrayList<>()).add(d.payload().toString());
        return DeliveryResult.delivered(1);
      } else if (d.targetKind() == Delivery.TargetKind.CONNECTION) {
        return DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "no open socket " + d.target());
      }
      return DeliveryResult.delivered(0);
    });
    StandInNode.silent(vertx, "gw-silent");
    new NodeDirectory(vertx).register("gw-a").await();
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setOutboundTopic(outbound).setDeadLetterTopic(dlq);
    bridge = new BridgeNode(new BridgeOptions().setGroupId(group).setDeliveryTimeoutMs(1500), kafka, meters);
    bridge.deploy(vertx).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void recordsReachTheirConnectionInPartitionOrderAndAreCommitted() {
    List<String> connections = List.of(open(), open(), open());
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String conn = connections.get(i % 3);
      records.add(record(conn, ("m" + i).getBytes(StandardCharsets.UTF_8), "ce_connectionid", conn));
    }
    KafkaTestBroker.sendAll(records);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> total() == 200);
    for (int c = 0; c < 3; c++) {
      List<String> expected = new ArrayList<>();
      for (int i = c; i < 200; i += 3) {
        expected.add("m" + i);
      }
      assertEquals(expected, received.get(connections.get(c)), "partition order per connection");
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 200);
    assertEquals(200, meters.find("wx.outbound.delivered").counter().count());
  }

  @Test
  void everyUndeliverableRecordIsDeadLetteredWithItsOriginalAndAReason() {
    String unknown = ConnectionId.generate("gw-a").value();
    String onMissingNode = ConnectionId.generate("gw-gone").value();
    String onSilentNode = ConnectionId.generate("gw-silent").value();
    byte[] notUtf8 = {'b', 'a', 'd', (byte) 0xc3};
    KafkaTestBroker.sendAll(List.of(
        record("k1", "x".getBytes(), "ce_connectionid", unknown, "x-trace", "t-1"),
        record("k2", "x".getBytes(), "ce_connectionid", onMissingNode),
        record("k3", "x".getBytes(), "ce_connectionid", onSilentNode),
        record("k4", "x".getBytes(), "ce_userid", "nobody"),
        record("k5", null, "ce_type", "wx.socket.close", "ce_connectionid", unknown, "ce_closecode", "1001"),
        record("k6", null, "ce_type", "wx.socket.close", "ce_connectionid", unknown, "ce_closereason", "r".repeat(124)),
        record("k7", notUtf8, "ce_connectionid", unknown, "content-type", "text/plain"),
        record("k8", "x".getBytes(), "ce_type", "wx.socket.dance")));
    List<ConsumerRecord<String, byte[]>> letters = KafkaTestBroker.awaitRecords(dlq, r -> true, 8, Duration.ofSeconds(30));
    Map<String, ConsumerRecord<String, byte[]>> byKey = new ConcurrentHashMap<>();
    letters.forEach(r -> byKey.put(r.key(), r));
    assertEquals("connection-not-found", header(byKey.get("k1"), "ce_deliveryerror"));
    assertEquals("t-1", header(byKey.get("k1"), "x-trace"), "original headers are kept");
    assertEquals(unknown, header(byKey.get("k1"), "ce_connectionid"));
    assertEquals("node-unreachable", header(byKey.get("k2"), "ce_deliveryerror"));
    assertEquals("node-unreachable", header(byKey.get("k3"), "ce_deliveryerror"));
    assertTrue(header(byKey.get("k3"), "ce_deliverydetail").contains("did not answer within 1500 ms"));
    assertEquals("user-offline", header(byKey.get("k4"), "ce_deliveryerror"));
    for (String key : List.of("k5", "k6", "k7", "k8")) {
      assertEquals("invalid-record", header(byKey.get(key), "ce_deliveryerror"), key);
    }
    assertTrue(header(byKey.get("k5"), "ce_deliverydetail").contains("1001"));
    assertArrayEquals(notUtf8, byKey.get("k7").value(), "the original value is kept byte for byte");
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 8);
    double deadLettered = meters.find("wx.dead.letters").counters().stream().mapToDouble(c -> c.count()).sum();
    assertEquals(meters.find("wx.outbound.records").counter().count(), deadLettered, "consumed = dead-lettered");
  }

  @Test
  void aBadRecordNeverStopsTheBridge() {
    String conn = open();
    KafkaTestBroker.sendAll(List.of(record("bad", null, "ce_connectionid", conn), record(conn, "after".getBytes(), "ce_connectionid", conn)));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> received.getOrDefault(conn, List.of()).contains("after"));
  }

  private String open() {
    String id = ConnectionId.generate("gw-a").value();
    openConnections.add(id);
    return id;
  }

  private int total() {
    return received.values().stream().mapToInt(List::size).sum();
  }


  private ProducerRecord<String, byte[]> record(String key, byte[] value, String... headers) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(outbound, null, key, value, h);
  }

}
