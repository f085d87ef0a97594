package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.options.SocketOptions;
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
 * What a socket had already read when it closed, while Kafka was slow (a producer quota on a
 * broker of this test's own) and the socket paused: every message still reaches {@code wx.inbound}
 * in order, and the close event comes after the last of them, whoever closed; what the gateway
 * really refused is counted in the close event's {@code messagesDropped}.
 */
class CloseUnderBackpressureTest {

  private static final String TOPIC = "wx.inbound";
  private static final String NODE = "gw-closing";
  private static final int MESSAGES = 40;
  @TempDir
  Path dir;
  private EmbeddedKafkaBroker broker;
  private final Vertx vertx = Vertx.vertx();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final int port = Ports.free();
  private GatewayNode node;

  @BeforeEach
  void start() throws Exception {
    broker = new EmbeddedKafkaBroker(new EmbeddedKafkaOptions().setDataDir(Files.createDirectories(dir.resolve("k")))
        .setPort(Ports.free()).setDefaultPartitions(1)).start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }
  }

  private void startGateway(SocketOptions socket) {
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(broker.bootstrapServers())
        .putProperty("delivery.timeout.ms", "60000").putProperty("request.timeout.ms", "10000");
    GatewayOptions options = new GatewayOptions().setNodeId(NODE).setHost("127.0.0.1").setPort(port).setInstances(1)
        .setMaxInFlightPerConnection(2).setSocket(socket); // paused with nearly every frame a read brings
    node = new GatewayNode(options, kafka, meters);
    node.deploy(vertx).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    broker.close();
  }

  /** Issue 11 item 2: 40 messages and a close frame in one write, while the socket is paused. */
  @Test
  void messagesQueuedBehindBackpressureWhenTheClientClosesAreAllPublishedBeforeTheCloseEvent() throws Exception {
    startGateway(new SocketOptions().setMessagesPerSecond(0).setBytesPerSecond(0));
    setProducerQuota(300.0);
    try (RawClient client = RawClient.upgrade(port, "/ws")) {
      ByteArrayOutputStream burst = messages(MESSAGES);
      burst.write(RawClient.frame(true, RawClient.CLOSE, RawClient.closeBody(1000, "bye")));
      client.write(burst.toByteArray());
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> counter("wx.backpressure.pauses") > 0);
      setProducerQuota(null);
      assertEquals(1000, client.awaitEnd().code(), "the client saw a clean close");
    }
    JsonObject close = assertAllMessagesThenTheCloseEvent(MESSAGES);
    assertEquals(1000, close.getInteger("code"));
    assertEquals("client", close.getString("initiator"));
    assertEquals(0, close.getInteger("messagesDropped"), close.encode());
  }

  /**
   * Issue 11 item 11: a drain (1001) closes a paused socket; what it had read still reaches Kafka,
   * and the drain completes only once the close event is handed over, so a shutdown right after it
   * loses nothing.
   */
  @Test
  void aDrainedSocketStillPublishesWhatItHadReadBeforeItsCloseEvent() throws Exception {
    startGateway(new SocketOptions().setMessagesPerSecond(0).setBytesPerSecond(0));
    setProducerQuota(300.0);
    io.vertx.core.Future<Void> drained;
    try (RawClient client = RawClient.upgrade(port, "/ws")) {
      client.write(messages(MESSAGES).toByteArray());
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> counter("wx.backpressure.pauses") > 0);
      drained = node.drain(0);
      assertEquals(1001, client.awaitEnd().code());
      client.sendFrame(true, RawClient.CLOSE, RawClient.closeBody(1001, ""));
    }
    setProducerQuota(null);
    drained.await(60, TimeUnit.SECONDS);
    vertx.close().await(); // the shutdown that follows a drain
    JsonObject close = assertAllMessagesThenTheCloseEvent(MESSAGES);
    assertEquals(1001, close.getInteger("code"));
    assertEquals("server", close.getString("initiator"));
    assertEquals(0, close.getInteger("messagesDropped"), close.encode());
  }

  /**
   * Issue 11 item 11: a socket closed for its rate (1008) does not relay what it sends after the
   * limit; the close event counts those messages, so relayed + dropped = messagesIn.
   */
  @Test
  void aRefusedSocketCountsWhatItDroppedInItsCloseEvent() throws Exception {
    startGateway(new SocketOptions().setMessagesPerSecond(20).setBytesPerSecond(0));
    try (RawClient client = RawClient.upgrade(port, "/ws")) {
      client.write(messages(MESSAGES * 3).toByteArray());
      assertEquals(1008, client.awaitEnd().code());
      client.sendFrame(true, RawClient.CLOSE, RawClient.closeBody(1008, ""));
    }
    List<ConsumerRecord<String, byte[]>> records = awaitCloseEvent();
    JsonObject close = new JsonObject(text(records.get(records.size() - 1)));
    List<String> relayed = messageIndexes(records);
    for (int i = 0; i < relayed.size(); i++) {
      assertEquals(Integer.toString(i), relayed.get(i), "what was relayed is the prefix before the limit");
    }
    assertEquals(MESSAGES * 3, close.getInteger("messagesIn"), close.encode());
    assertTrue(close.getInteger("messagesDropped") > 0, close.encode());
    assertEquals(MESSAGES * 3, relayed.size() + close.getInteger("messagesDropped"), close.encode());
  }

  /** Text frames {@code "<i>:xxx…"} of about 220 bytes. */
  private static ByteArrayOutputStream messages(int count) {
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    String padding = "x".repeat(215);
    for (int i = 0; i < count; i++) {
      burst.writeBytes(RawClient.frame(true, RawClient.TEXT, (i + ":" + padding).getBytes(StandardCharsets.UTF_8)));
    }
    return burst;
  }

  /** The only connection's records: open, messages 0..count-1 in order, then the close event, whose JSON is returned. */
  private JsonObject assertAllMessagesThenTheCloseEvent(int count) {
    List<ConsumerRecord<String, byte[]>> records = awaitCloseEvent();
    assertEquals("wx.socket.open", header(records.get(0), "ce_type"));
    List<String> relayed = messageIndexes(records);
    assertEquals(count, relayed.size(), "every message read reached Kafka: " + relayed);
    for (int i = 0; i < count; i++) {
      assertEquals(Integer.toString(i), relayed.get(i), "in order");
    }
    assertEquals(count + 2, records.size(), "open, the messages, close: nothing after the close event");
    for (int i = 0; i < records.size(); i++) {
      assertEquals(Integer.toString(i + 1), header(records.get(i), "ce_seq"));
    }
    return new JsonObject(text(records.get(records.size() - 1)));
  }

  private static List<String> messageIndexes(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().filter(r -> "wx.socket.message".equals(header(r, "ce_type")))
        .map(r -> text(r).split(":", 2)[0]).toList();
  }

  /** Every record of the topic (one connection, one partition) once its close event is in, and 2 s more. */
  private List<ConsumerRecord<String, byte[]>> awaitCloseEvent() {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("group.id", "closing-" + System.nanoTime());
    p.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Long closeSeenAt = null;
      while (System.nanoTime() < deadline
          && (closeSeenAt == null || System.nanoTime() - closeSeenAt < TimeUnit.SECONDS.toNanos(2))) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(r);
          if (closeSeenAt == null && "wx.socket.close".equals(header(r, "ce_type"))) {
            closeSeenAt = System.nanoTime();
          }
        }
      }
      assertNotNull(closeSeenAt, "no close event within 60 s; records: " + records.size());
    }
    return records;
  }

  private double counter(String name) {
    var c = meters.find(name).counter();
    return c == null ? 0 : c.count();
  }

  private void setProducerQuota(Double bytesPerSecond) throws Exception {
    ClientQuotaEntity client = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "wx-gateway-" + NODE));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.alterClientQuotas(List.of(new ClientQuotaAlteration(client,
          List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))).all().get();
    }
  }
}
