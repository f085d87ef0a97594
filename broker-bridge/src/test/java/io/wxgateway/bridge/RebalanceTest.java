package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridges joining the group mid-stream: the partitions move while records are in flight to a gateway
 * node that answers slowly (stood in for on the event bus, 150 ms per batch). What must hold: each
 * connection gets its records exactly in partition order, none twice, none lost, and no partition's
 * committed offset ever moves back.
 */
class RebalanceTest {

  private static final int CONNECTIONS = 12;
  private static final int RECORDS = 1_800;

  private final Vertx vertx = Vertx.vertx();
  private final String outbound = KafkaTestBroker.uniqueTopic("wx.outbound");
  private final String dlq = KafkaTestBroker.uniqueTopic("wx.undelivered");
  private final String group = KafkaTestBroker.uniqueTopic("bridge");
  private final Map<String, List<Integer>> received = new ConcurrentHashMap<>();
  private final List<String> rewinds = new CopyOnWriteArrayList<>();
  private final List<BridgeNode> bridges = new ArrayList<>();
  private volatile boolean sampling = true;

  @BeforeEach
  void start() {
    KafkaTestBroker.createTopics(6, outbound, dlq);
    BusCodecs.register(vertx);
    vertx.eventBus().<Object>consumer(BusAddresses.deliveries("gw-a"), msg -> {
      StandInNode.deliveries(msg).forEach(d -> received.computeIfAbsent(d.target(), k -> new CopyOnWriteArrayList<>())
          .add(Integer.parseInt(d.payload().toString())));
      vertx.setTimer(150, t -> StandInNode.reply(msg, d -> DeliveryResult.delivered(1)));
    }).completion().await();
  }

  @AfterEach
  void stop() {
    sampling = false;
    vertx.close().await();
  }

  @Test
  void aBridgeJoiningMidStreamKeepsEveryConnectionsOrderAndLosesNothing() throws Exception {
    List<String> connections = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      connections.add(ConnectionId.generate("gw-a").value());
    }
    startBridge();
    startBridge();
    Thread sampler = sampleCommits();
    Thread producer = produce(connections);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> total() >= RECORDS / 4);
    startBridge(); // the third joins: every partition is revoked and assigned again
    producer.join(120_000);
    Awaitility.await().atMost(90, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == RECORDS);
    sampling = false;
    sampler.join(10_000);
    for (int c = 0; c < CONNECTIONS; c++) {
      List<Integer> expected = new ArrayList<>();
      for (int n = c; n < RECORDS; n += CONNECTIONS) {
        expected.add(n);
      }
      assertEquals(expected, received.get(connections.get(c)), "connection " + c + ": in order, once each");
    }
    assertTrue(rewinds.isEmpty(), "committed offsets moved back: " + rewinds);
  }

  private void startBridge() {
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setOutboundTopic(outbound).setDeadLetterTopic(dlq)
        .setProperties(Map.of("max.poll.records", "20", "heartbeat.interval.ms", "300", "session.timeout.ms", "6000"));
    BridgeNode bridge = new BridgeNode(new BridgeOptions().setGroupId(group).setDeliveryTimeoutMs(5_000), kafka,
        new SimpleMeterRegistry());
    bridge.deploy(vertx).await();
    bridges.add(bridge);
  }

  /** About 330 records a second, round robin over the connections (each one's key: one partition each). */
  private Thread produce(List<String> connections) {
    Thread t = new Thread(() -> {
      try (KafkaProducer<String, byte[]> kafka = KafkaTestBroker.producer()) {
        for (int n = 0; n < RECORDS; n++) {
          String conn = connections.get(n % CONNECTIONS);
          RecordHeaders h = new RecordHeaders();
          h.add("ce_connectionid", conn.getBytes(StandardCharsets.UTF_8));
          kafka.send(new ProducerRecord<>(outbound, null, conn, Integer.toString(n).getBytes(StandardCharsets.UTF_8), h));
          if (n % 10 == 9) {
            kafka.flush();
            Thread.sleep(30); // pacing: the stream lasts several seconds, across the rebalance
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "rebalance-producer");
    t.start();
    return t;
  }

  /** Reads the group's committed offsets over and over, noting any partition whose offset went down. */
  private Thread sampleCommits() {
    Thread t = new Thread(() -> {
      Map<TopicPartition, Long> last = new HashMap<>();
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
        while (sampling) {
          Map<TopicPartition, OffsetAndMetadata> now = admin.listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata().get();
          now.forEach((tp, om) -> {
            Long before = last.put(tp, om.offset());
            if (before != null && om.offset() < before) {
              rewinds.add(tp + ": " + before + " -> " + om.offset());
            }
          });
          Thread.sleep(50);
        }
      } catch (Exception e) {
        if (sampling) {
          rewinds.add("sampling failed: " + e);
        }
      }
    }, "commit-sampler");
    t.start();
    return t;
  }

  private int total() {
    return received.values().stream().mapToInt(List::size).sum();
  }
}
