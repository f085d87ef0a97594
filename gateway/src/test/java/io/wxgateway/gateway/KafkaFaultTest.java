package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.common.testing.Traffic;
import io.wxgateway.kafka.embedded.EmbeddedKafkaBroker;
import io.wxgateway.kafka.embedded.EmbeddedKafkaOptions;
import io.wxgateway.common.process.Ports;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the broker itself, on a broker of this test's own: stopped mid-stream and restarted,
 * and throttled. Sockets whose messages Kafka did not take close with 1013; nothing Kafka
 * acknowledged is lost; a slow Kafka slows the clients down instead of failing them.
 */
class KafkaFaultTest {

  private static final String TOPIC = "wx.inbound";
  private static final String NODE = "gw-fault";
  @TempDir
  Path dir;
  private EmbeddedKafkaOptions brokerOptions;
  private EmbeddedKafkaBroker broker;
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private int port;

  @BeforeEach
  void start() throws Exception {
    brokerOptions = new EmbeddedKafkaOptions().setDataDir(Files.createDirectories(dir.resolve("kafka")))
        .setPort(Ports.free()).setDefaultPartitions(2);
    broker = new EmbeddedKafkaBroker(brokerOptions).start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get();
    }
    port = Ports.free();
  }

  private void startGateway(int perConnection, long perNodeBytes) {
    startGateway(perConnection, perNodeBytes, new SocketOptions(), 6000);
  }

  private void startGateway(int perConnection, long perNodeBytes, SocketOptions socket, long deliveryTimeoutMs) {
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(broker.bootstrapServers())
        .putProperty("delivery.timeout.ms", Long.toString(deliveryTimeoutMs)).putProperty("request.timeout.ms", "2000")
        .putProperty("max.block.ms", "3000").putProperty("reconnect.backoff.max.ms", "500");
    GatewayOptions options = new GatewayOptions().setNodeId(NODE).setHost("127.0.0.1").setPort(port).setInstances(2)
        .setMaxInFlightPerConnection(perConnection).setMaxInFlightBytesPerNode(perNodeBytes)
        .setSocket(socket.setMessagesPerSecond(0).setBytesPerSecond(0));
    new GatewayNode(options, kafka, meters).deploy(vertx).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    broker.close();
  }

  @Test
  void aStoppedBrokerClosesSocketsWith1013AndTrafficResumesAfterItsRestart() {
    startGateway(8, GatewayOptions.DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE);
    List<TestSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sockets.add(TestSocket.connect(vertx, port, "/ws"));
    }
    Traffic traffic = Traffic.start(sockets);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> acked() >= 100);

    broker.close();
    for (TestSocket s : sockets) {
      assertEquals(1013, s.awaitClose().code(), "a message Kafka did not take closes its socket with 1013");
    }
    traffic.stop();
    long ackedBeforeRestart = acked();

    broker = new EmbeddedKafkaBroker(brokerOptions).start();
    TestSocket after = TestSocket.connect(vertx, port, "/ws");
    after.sendText("after the restart");
    Map<String, List<String>> messages = Awaitility.await().atMost(60, TimeUnit.SECONDS)
        .until(this::messagesByConnection, m -> m.values().stream().anyMatch(l -> l.contains("after the restart")));
    long landed = messages.values().stream().mapToLong(List::size).sum();
    assertTrue(landed >= ackedBeforeRestart - sockets.size(), // the open events are acked records too
        "every record Kafka acknowledged is in Kafka: acked " + ackedBeforeRestart + ", found " + landed);
    for (List<String> perConnection : messages.values()) {
      for (int i = 0; i < perConnection.size(); i++) {
        if (!perConnection.get(i).equals("after the restart")) {
          assertEquals("m" + i, perConnection.get(i), "no gap and no duplicate in what landed");
        }
      }
    }
    after.close();
  }

  @Test
  void aThrottledBrokerSlowsClientsDownWithoutFailingThem() throws Exception {
    startGateway(8, GatewayOptions.DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE);
    setProducerQuota(30_000.0);
    TestSocket socket = TestSocket.connect(vertx, port, "/ws");
    String kilobyte = "x".repeat(1000);
    for (int i = 0; i < 200; i++) {
      socket.sendText(i + ":" + kilobyte);
    }
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> counter("wx.backpressure.pauses") > 0);
    setProducerQuota(null);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> messagesByConnection().values().stream()
        .mapToInt(List::size).sum() == 200);
    assertTrue(!socket.isClosed(), "backpressure, not errors");
    assertEquals(0, counter("wx.kafka.produce.errors"));
    socket.close();
  }

  @Test
  void theNodeBoundPausesEverySocketThatAddsToItAndLosesNothing() throws Exception {
    startGateway(1_000, 16 * 1024); // the per-socket bound never binds here: only the node's does
    setProducerQuota(30_000.0);
    List<TestSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sockets.add(TestSocket.connect(vertx, port, "/ws"));
    }
    String kilobyte = "x".repeat(1000);
    for (int n = 0; n < 50; n++) {
      for (TestSocket s : sockets) {
        s.sendText(n + ":" + kilobyte);
      }
    }
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> counter("wx.backpressure.pauses") >= 2);
    setProducerQuota(null);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> messagesByConnection().values().stream()
        .mapToInt(List::size).sum() == 200);
    for (TestSocket s : sockets) {
      assertTrue(!s.isClosed(), "backpressure, not errors");
      s.close();
    }
  }

  /** Issue 11 item 4: the gateway's own pause is not the client's silence. */
  @Test
  void aSocketPausedForKafkaLongerThanTheIdleTimeoutIsNotClosedAsIdle() throws Exception {
    startGateway(8, GatewayOptions.DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE,
        new SocketOptions().setPingIntervalMs(0).setIdleTimeoutMs(1500), 60_000); // the quota holds records long
    setProducerQuota(300.0);
    TestSocket socket = TestSocket.connect(vertx, port, "/ws");
    String padding = "x".repeat(215);
    for (int i = 0; i < 40; i++) {
      socket.sendText(i + ":" + padding);
    }
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> counter("wx.backpressure.pauses") > 0);
    Awaitility.await().during(4, TimeUnit.SECONDS).atMost(6, TimeUnit.SECONDS).until(() -> !socket.isClosed());
    setProducerQuota(null);
    Awaitility.await().atMost(90, TimeUnit.SECONDS).until(() -> messagesByConnection().values().stream()
        .mapToInt(List::size).sum() == 40);
    assertEquals(0, counter("wx.kafka.produce.errors"));
  }

  /** Issue 11 item 4: a Kafka outage longer than the idle timeout ends in 1013 (delivery.timeout.ms), not 4000. */
  @Test
  void aKafkaOutageLongerThanTheIdleTimeoutEndsIn1013Not4000() {
    startGateway(8, GatewayOptions.DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE,
        new SocketOptions().setPingIntervalMs(0).setIdleTimeoutMs(1500), 6000);
    TestSocket socket = TestSocket.connect(vertx, port, "/ws");
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> acked() >= 1); // its open event
    broker.close();
    for (int i = 0; i < 20; i++) {
      socket.sendText("m" + i);
    }
    TestSocket.Closed closed = socket.awaitClose(); // delivery.timeout.ms is 6 s here
    assertEquals(1013, closed.code(), "Kafka did not take the messages: " + closed.reason());
  }

  private long acked() {
    var timer = meters.find("wx.kafka.produce.latency").timer();
    return timer == null ? 0 : timer.count();
  }

  private double counter(String name) {
    var c = meters.find(name).counter();
    return c == null ? 0 : c.count();
  }

  /** Every client message now in the topic, per connection, in partition order. */
  private Map<String, List<String>> messagesByConnection() {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("group.id", "fault-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    Map<String, List<String>> byConnection = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
          if ("wx.socket.message".equals(header(r, "ce_type"))) {
            byConnection.computeIfAbsent(r.key(), k -> new ArrayList<>())
                .add(new String(r.value(), StandardCharsets.UTF_8).split(":", 2)[0]);
          }
        }
      }
    }
    return byConnection;
  }

  private void setProducerQuota(Double bytesPerSecond) throws Exception {
    ClientQuotaEntity client = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "wx-gateway-" + NODE));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.alterClientQuotas(List.of(new ClientQuotaAlteration(client,
          List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))).all().get();
    }
  }
}
