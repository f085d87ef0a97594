package io.wxgateway.bridge;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
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
 * A user record or a broadcast that reaches some of its nodes and not others is accounted for per
 * node: the nodes that answered got it, the ones that did not are named in a node-unreachable dead
 * letter. Real broker; gateway nodes stood in for on the event bus, one of them never answering.
 */
class PartialFanOutTest {

  private final Vertx vertx = Vertx.vertx();
  private final String outbound = KafkaTestBroker.uniqueTopic("wx.outbound");
  private final String dlq = KafkaTestBroker.uniqueTopic("wx.undelivered");
  private final String group = KafkaTestBroker.uniqueTopic("bridge");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** Node -> ce_id of the records it received. */
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    KafkaTestBroker.createTopics(1, outbound, dlq);
    BusCodecs.register(vertx);
    for (String node : List.of("gw-a", "gw-b")) {
      StandInNode.register(vertx, node, d -> {
        received.computeIfAbsent(node, k -> new CopyOnWriteArrayList<>()).add(d.recordId());
        return DeliveryResult.delivered(1);
      });
    }
    StandInNode.silent(vertx, "gw-silent");
    Presence presence = new Presence(vertx);
    presence.add("dave", "gw-a").await();
    presence.add("dave", "gw-silent").await();
    presence.add("erin", "gw-a").await();
    presence.add("erin", "gw-b").await();
    NodeDirectory directory = new NodeDirectory(vertx);
    directory.register("gw-a").await();
    directory.register("gw-silent").await();
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setOutboundTopic(outbound).setDeadLetterTopic(dlq);
    new BridgeNode(new BridgeOptions().setGroupId(group).setDeliveryTimeoutMs(1500), kafka, meters).deploy(vertx)
        .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aFanOutThatMissesANodeIsDeadLetteredNamingTheNodesThatDidNotAnswer() throws Exception {
    KafkaTestBroker.sendAll(List.of(
        record("k-user", "ce_userid", "dave", "ce_id", "r-user"),
        record("k-all", "ce_type", "wx.socket.broadcast", "ce_id", "r-all"),
        record("k-whole", "ce_userid", "erin", "ce_id", "r-whole")));
    List<ConsumerRecord<String, byte[]>> letters = KafkaTestBroker.awaitRecords(dlq, r -> true, 2,
        Duration.ofSeconds(30));
    Map<String, ConsumerRecord<String, byte[]>> byKey = new ConcurrentHashMap<>();
    letters.forEach(r -> byKey.put(r.key(), r));
    for (String key : List.of("k-user", "k-all")) {
      ConsumerRecord<String, byte[]> letter = byKey.get(key);
      assertEquals("node-unreachable", header(letter, "ce_deliveryerror"), key);
      assertEquals("gw-silent", header(letter, "ce_unreachednodes"), key);
      assertTrue(header(letter, "ce_deliverydetail").contains("gw-silent"), header(letter, "ce_deliverydetail"));
    }
    assertNull(byKey.get("k-whole"), "a fan-out that reached every node is not dead-lettered");
    assertEquals(List.of("r-user", "r-all", "r-whole"), received.get("gw-a"), "the nodes that answered got them");
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 3);
    double deadLettered = meters.find("wx.dead.letters").counters().stream().mapToDouble(c -> c.count()).sum();
    assertEquals(2, deadLettered);
    assertEquals(1, meters.find("wx.outbound.delivered").counter().count());
  }

  private ProducerRecord<String, byte[]> record(String key, String... headers) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(outbound, null, key, "hi".getBytes(StandardCharsets.UTF_8), h);
  }
}
