package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole loop in one process, as the distribution runs it: a real WebSocket client, the gateway,
 * a real broker, the demo echo backend, the bridge, and back; plus what the bridge dead-letters.
 */
class RelayLoopTest {

  private static final String INBOUND = KafkaTestBroker.uniqueTopic("in");
  private static final String OUTBOUND = KafkaTestBroker.uniqueTopic("out");
  private static final String DLQ = KafkaTestBroker.uniqueTopic("dlq");
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestEnv.singleNode().topics(INBOUND, OUTBOUND, DLQ).with("WXGW_DEMO_ECHO", "true"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void textAndBinaryComeBackInOrderWithTheirTypes() {
    TestSocket socket = node.connect("/ws");
    for (int i = 0; i < 20; i++) {
      if (i % 2 == 0) {
        socket.sendText("text " + i + " 你好");
      } else {
        socket.sendBinary(Buffer.buffer(new byte[] {(byte) i, (byte) 0xff}));
      }
    }
    for (int i = 0; i < 20; i++) {
      TestSocket.Received r = socket.next();
      if (i % 2 == 0) {
        assertTrue(r.text(), "message " + i + " stays text");
        assertEquals("text " + i + " 你好", r.asText());
      } else {
        assertFalse(r.text(), "message " + i + " stays binary");
        assertArrayEquals(new byte[] {(byte) i, (byte) 0xff}, r.data().getBytes());
      }
    }
    socket.close();
  }

  @Test
  void aCloseRecordClosesTheSocketWithItsCodeAndReason() {
    TestSocket socket = node.connect("/ws");
    String id = connectionIdOf(socket);
    KafkaTestBroker.send(outbound(id, null, "ce_type", "wx.socket.close", "ce_connectionid", id,
        "ce_closecode", "4001", "ce_closereason", "令牌过期 token expired"));
    TestSocket.Closed closed = socket.awaitClose();
    assertEquals(4001, closed.code());
    assertEquals("令牌过期 token expired", closed.reason());
  }

  @Test
  void undeliverableRecordsAreDeadLetteredWithTheirReason() {
    TestSocket socket = node.connect("/ws");
    String live = connectionIdOf(socket);
    String gone = node.runtime().nodeId() + ".AAAAAAAAAAAAAAAAAAAAAA";
    KafkaTestBroker.send(outbound("d1", "hi".getBytes(), "ce_connectionid", gone));
    KafkaTestBroker.send(outbound("d2", null, "ce_type", "wx.socket.close", "ce_connectionid", live,
        "ce_closecode", "1011"));
    KafkaTestBroker.send(outbound("d3", null, "ce_type", "wx.socket.close", "ce_connectionid", live,
        "ce_closereason", "长".repeat(42)));
    KafkaTestBroker.send(outbound("d4", new byte[] {(byte) 0xfe}, "ce_connectionid", live,
        "content-type", "text/plain; charset=utf-8"));
    List<ConsumerRecord<String, byte[]>> letters = KafkaTestBroker.awaitRecords(DLQ,
        r -> r.key().startsWith("d"), 4, Duration.ofSeconds(30));
    for (ConsumerRecord<String, byte[]> letter : letters) {
      String expected = letter.key().equals("d1") ? "connection-not-found" : "invalid-record";
      assertEquals(expected, header(letter, "ce_deliveryerror"), letter.key());
      assertFalse(header(letter, "ce_deliverydetail").isBlank());
    }
    assertFalse(socket.isClosed(), "no bad record touched the live socket");
    socket.sendText("still served");
    assertEquals("still served", socket.next().asText());
    socket.close();
  }

  @Test
  void healthAndMetricsAnswerOnTheManagementPort() throws Exception {
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> node.get("/health/ready").statusCode() == 200);
    assertTrue(node.get("/health/ready").body().contains("\"reachable\" : true"));
    assertEquals(200, node.get("/health/live").statusCode());
    node.connect("/ws").close();
    assertTrue(node.get("/metrics").body().contains("wx_sockets_opened_total"));
    assertEquals(403, node.get("/admin/nodes").statusCode(), "no admin.token: the admin API is refused");
    java.net.http.HttpResponse<String> h2c = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_2).build()
        .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + node.runtime().managementPort() + "/health/live")).timeout(java.time.Duration.ofSeconds(10))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(java.net.http.HttpClient.Version.HTTP_1_1, h2c.version(), "an h2c upgrade is answered in HTTP/1.1");
    assertEquals(200, h2c.statusCode());
  }

  /** The socket's connection id, read back from its open event on wx.inbound after an echo round trip. */
  private static String connectionIdOf(TestSocket socket) {
    String marker = "marker-" + System.nanoTime();
    socket.sendText(marker);
    assertEquals(marker, socket.next().asText());
    return KafkaTestBroker.awaitRecords(INBOUND, r -> marker.equals(new String(r.value(), StandardCharsets.UTF_8)),
        1, Duration.ofSeconds(20)).get(0).key();
  }

  private static ProducerRecord<String, byte[]> outbound(String key, byte[] value, String... headers) {
    return OutboundRecords.record(OUTBOUND, key, value, headers);
  }
}
