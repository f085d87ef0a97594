package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bridge whose process lost the cluster reaches no gateway node: whatever it consumed would be
 * dead-lettered. Two bridges in one group, each in a Vert.x of its own: only B's reaches the gateway
 * node (stood in for on its event bus); what A consumes is dead-lettered, as it would be on the
 * minority side of a partition. Once A is told it lost the cluster, it must leave the group so that B
 * delivers everything, and once it is back it must consume again.
 */
class BridgeStandbyTest {

  private static final int CONNECTIONS = 12;
  private static final int PER_PHASE = 60;

  private final Vertx vertxA = Vertx.vertx();
  private final Vertx vertxB = Vertx.vertx();
  private final String outbound = KafkaTestBroker.uniqueTopic("wx.outbound");
  private final String dlq = KafkaTestBroker.uniqueTopic("wx.undelivered");
  private final String group = KafkaTestBroker.uniqueTopic("bridge");
  private final Set<String> deliveredByB = ConcurrentHashMap.newKeySet();
  /** Distinct dead-lettered values (at-least-once: one may come twice), read as they come. */
  private final Set<String> deadLettered = ConcurrentHashMap.newKeySet();
  private volatile boolean reading = true;
  private Thread deadLetterReader;
  private final List<String> connections = new ArrayList<>();
  private Admin admin;

  @BeforeEach
  void start() {
    KafkaTestBroker.createTopics(6, outbound, dlq);
    BusCodecs.register(vertxA);
    BusCodecs.register(vertxB);
    StandInNode.register(vertxB, "gw-a", d -> {
      deliveredByB.add(d.payload().toString());
      return DeliveryResult.delivered(1);
    });
    for (int i = 0; i < CONNECTIONS; i++) {
      connections.add(ConnectionId.generate("gw-a").value());
    }
    admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()));
    deadLetterReader = new Thread(this::readDeadLetters, "dead-letter-reader");
    deadLetterReader.start();
    bridge(vertxA);
    bridge(vertxB);
  }

  @AfterEach
  void stop() throws InterruptedException {
    reading = false;
    deadLetterReader.join(10_000);
    admin.close();
    vertxA.close().await();
    vertxB.close().await();
  }

  @Test
  void aBridgeOutOfTheClusterLeavesItsPartitionsToTheOthersAndConsumesAgainOnceBack() throws Exception {
    awaitMembers(2);
    produce("before");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> accounted("before") == PER_PHASE);
    assertTrue(deadLetters("before") > 0, "bridge A consumed some partitions, and reached no gateway node");

    vertxA.eventBus().publish(ClusterMembers.LOST_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
    awaitMembers(1);
    produce("lost");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> delivered("lost") == PER_PHASE);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 2L * PER_PHASE);
    assertEquals(0, deadLetters("lost"), "while A is out, B delivers every record: none is dead-lettered");

    vertxA.eventBus().publish(ClusterMembers.REJOINED_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
    awaitMembers(2);
    produce("back");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> accounted("back") == PER_PHASE);
    assertTrue(deadLetters("back") > 0, "bridge A consumes again once back in the cluster");
  }

  private void bridge(Vertx vertx) {
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setOutboundTopic(outbound).setDeadLetterTopic(dlq)
        .setProperties(Map.of("max.poll.records", "20", "heartbeat.interval.ms", "300", "session.timeout.ms", "6000"));
    new BridgeNode(new BridgeOptions().setGroupId(group).setDeliveryTimeoutMs(2_000), kafka, new SimpleMeterRegistry())
        .deploy(vertx).await();
  }

  /** Waits until the group has {@code n} members, each with partitions assigned. */
  private void awaitMembers(int n) {
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> {
      var members = admin.describeConsumerGroups(List.of(group)).all().get().get(group).members();
      return members.size() == n && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
    });
  }

  /** {@value #PER_PHASE} records, round robin over the connections (each connection's key: one partition). */
  private void produce(String phase) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int n = 0; n < PER_PHASE; n++) {
      String conn = connections.get(n % CONNECTIONS);
      RecordHeaders h = new RecordHeaders();
      h.add("ce_connectionid", conn.getBytes(StandardCharsets.UTF_8));
      records.add(new ProducerRecord<>(outbound, null, conn, (phase + "-" + n).getBytes(StandardCharsets.UTF_8), h));
    }
    KafkaTestBroker.sendAll(records);
  }

  private long delivered(String phase) {
    return deliveredByB.stream().filter(v -> v.startsWith(phase + "-")).count();
  }

  private long accounted(String phase) {
    return delivered(phase) + deadLetters(phase);
  }

  private long deadLetters(String phase) {
    return deadLettered.stream().filter(v -> v.startsWith(phase + "-")).count();
  }

  private void readDeadLetters() {
    try (KafkaConsumer<String, byte[]> consumer = KafkaTestBroker.consumer(List.of(dlq))) {
      while (reading) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          deadLettered.add(new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
  }
}
