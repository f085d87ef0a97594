package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Client messages reach wx.inbound exactly as the contract says, framed by open and close events. */
class InboundRelayTest {

  private GatewayTestSupport gw;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport();
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void textAndBinaryMessagesLandInOrderBetweenOpenAndCloseWithEveryHeader() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Referer", "https://servicewechat.com/wx1234567890abcdef/0/page-frame.html");
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws", headers);
    socket.sendText("hello 世界").sendBinary(Buffer.buffer(new byte[] {0, (byte) 0xff, 7})).sendText("third");
    socket.close((short) 4321, "再见, bye");

    String id = awaitConnectionId();
    List<ConsumerRecord<String, byte[]>> records = recordsOf(id, 5);
    assertEquals(List.of("wx.socket.open", "wx.socket.message", "wx.socket.message", "wx.socket.message",
        "wx.socket.close"), records.stream().map(r -> header(r, "ce_type")).toList());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, byte[]> r = records.get(i);
      assertEquals(id, r.key());
      assertEquals("1.0", header(r, "ce_specversion"));
      assertEquals("/wx-gateway/gw-test", header(r, "ce_source"));
      assertEquals(id, header(r, "ce_connectionid"));
      assertEquals("wx1234567890abcdef", header(r, "ce_appid"));
      assertEquals(Integer.toString(i + 1), header(r, "ce_seq"));
      assertNull(header(r, "ce_userid"), "anonymous sockets carry no user");
      Instant.parse(header(r, "ce_time"));
      ids.add(header(r, "ce_id"));
    }
    assertEquals(5, ids.size(), "ce_id is unique per record");
    assertEquals("hello 世界", text(records.get(1)));
    assertEquals("text/plain; charset=utf-8", header(records.get(1), "content-type"));
    assertArrayEquals(new byte[] {0, (byte) 0xff, 7}, records.get(2).value());
    assertEquals("application/octet-stream", header(records.get(2), "content-type"));

    JsonObject open = new JsonObject(text(records.get(0)));
    assertEquals("wx1234567890abcdef", open.getString("appId"));
    assertEquals("0", open.getString("appVersion"));
    assertTrue(open.getString("remoteAddress").contains("127.0.0.1"));
    // the contract's fields in their order, those without a value written as null (the encoder writes them itself)
    assertEquals(List.of("remoteAddress", "subprotocol", "userId", "appId", "appVersion", "path", "headers"),
        List.copyOf(open.fieldNames()));
    assertTrue(open.containsKey("userId") && open.getValue("userId") == null, open.encode());
    assertEquals("/ws", open.getString("path"));
    JsonObject close = new JsonObject(text(records.get(4)));
    assertEquals(4321, close.getInteger("code"));
    assertEquals("再见, bye", close.getString("reason"));
    assertEquals("client", close.getString("initiator"));
    assertEquals(3, close.getInteger("messagesIn"));
    assertTrue(close.getLong("durationMs") >= 0);
    assertEquals("application/json", header(records.get(4), "content-type"));
  }

  @Test
  void fragmentedMessagesAreReassembledWithTheirType() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    socket.sendFrame(WebSocketFrame.textFrame("frag", false))
        .sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ment"), false))
        .sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("ed 片"), true))
        .sendFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[] {1, 2}), false))
        .sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {3}), true));
    socket.close();
    String id = awaitConnectionId();
    List<ConsumerRecord<String, byte[]>> records = recordsOf(id, 4);
    assertEquals("fragmented 片", new String(records.get(1).value(), StandardCharsets.UTF_8));
    assertArrayEquals(new byte[] {1, 2, 3}, records.get(2).value());
    assertEquals("application/octet-stream", header(records.get(2), "content-type"));
  }

  @Test
  void closeEventComesAfterTheLastMessageAndTheRegistryForgetsTheSocket() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    socket.sendText("last words");
    String id = awaitConnectionId();
    assertEquals(id, gw.node.registry().get(id).connectionId(), "registered while open");
    socket.close((short) 1000, null);
    List<ConsumerRecord<String, byte[]>> records = recordsOf(id, 3);
    assertEquals("wx.socket.close", header(records.get(2), "ce_type"));
    assertEquals(1000, new JsonObject(text(records.get(2))).getInteger("code"));
    assertNull(gw.node.registry().get(id), "the registry forgets closed sockets");
  }

  /** Each test has a gateway and topic of its own, so the first open event is the test's socket. */
  private String awaitConnectionId() {
    String id = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.open".equals(header(r, "ce_type")), 1,
        Duration.ofSeconds(20)).get(0).key();
    ConnectionId.parse(id);
    return id;
  }

  private List<ConsumerRecord<String, byte[]>> recordsOf(String id, int count) {
    return KafkaTestBroker.awaitRecords(gw.inbound, r -> id.equals(r.key()), count, Duration.ofSeconds(20));
  }
}
