package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input gets its documented answer, is counted, and no other socket notices. */
class BadInputTest {

  private static final int LIMIT = 16 * 1024;
  private GatewayTestSupport gw;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setMaxMessageBytes(LIMIT));
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void messageOverTheLimitClosesWith1009AndOthersKeepWorking() {
    TestSocket bystander = TestSocket.connect(gw.vertx, gw.port, "/ws");
    TestSocket offender = TestSocket.connect(gw.vertx, gw.port, "/ws");
    offender.sendBinary(Buffer.buffer(new byte[LIMIT + 1]));
    assertEquals(1009, offender.awaitClose().code());
    assertEquals(1, gw.counter("wx.messages.rejected", "reason", "too-big"));
    assertCloseEvent(1009, "server");
    bystander.sendText("still here");
    assertTrue(messageTexts().contains("still here"));
  }

  @Test
  void hugeSingleFrameIsDroppedAndTheCloseEventSays1009() {
    TestSocket offender = TestSocket.connect(gw.vertx, gw.port, "/ws");
    offender.sendBinary(Buffer.buffer(new byte[4 * LIMIT]));
    offender.awaitClose(); // the decoder drops the connection: the client cannot be told more than 1006
    assertCloseEvent(1009, "server");
    assertEquals(1, gw.counter("wx.messages.rejected", "reason", "too-big"));
  }

  @Test
  void fragmentedMessageOverTheLimitClosesWith1009() {
    TestSocket offender = TestSocket.connect(gw.vertx, gw.port, "/ws");
    Buffer chunk = Buffer.buffer(new byte[LIMIT / 2]);
    offender.sendFrame(WebSocketFrame.binaryFrame(chunk, false))
        .sendFrame(WebSocketFrame.continuationFrame(chunk, false))
        .sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("x"), true));
    assertEquals(1009, offender.awaitClose().code());
  }

  @Test
  void messageOfExactlyTheLimitIsAccepted() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    socket.sendText("a".repeat(LIMIT));
    assertEquals(LIMIT, messageTexts().get(0).length());
    socket.close();
  }

  @Test
  void invalidUtf8InTextClosesWith1007() {
    TestSocket offender = TestSocket.connect(gw.vertx, gw.port, "/ws");
    offender.sendFrame(WebSocketFrame.textFrame("ok ", false))
        .sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {(byte) 0xc3, (byte) 0x28}), true));
    assertEquals(1007, offender.awaitClose().code());
    assertEquals(1, gw.counter("wx.messages.rejected", "reason", "invalid-utf8"));
    assertCloseEvent(1007, "server");
  }

  @Test
  void heartbeatIsAnsweredAndNeverReachesKafka() {
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws");
    socket.sendText("ping");
    assertEquals("pong", socket.next().asText());
    socket.sendText("after the ping");
    assertEquals(List.of("after the ping"), messageTexts());
    assertEquals(1, gw.counter("wx.messages.in", "type", "heartbeat"));
    socket.close();
  }

  @Test
  void requestsThatAreNotAnUpgradeGetAVisibleHttpError() {
    assertEquals(404, status("GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(426, status("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n"));
    assertEquals(405, status("POST /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"));
  }

  /** Sends a raw request (a real client would not send some of these) and reads the status line. */
  private int status(String request) {
    NetSocket socket = gw.vertx.createNetClient().connect(gw.port, "127.0.0.1").await();
    Promise<String> statusLine = Promise.promise();
    Buffer received = Buffer.buffer();
    socket.handler(b -> {
      received.appendBuffer(b);
      String s = received.toString();
      if (s.contains("\r\n")) {
        statusLine.tryComplete(s.substring(0, s.indexOf("\r\n")));
      }
    });
    socket.write(request);
    String line = statusLine.future().timeout(20, TimeUnit.SECONDS).await();
    socket.close();
    return Integer.parseInt(line.split(" ")[1]);
  }

  private void assertCloseEvent(int code, String initiator) {
    ConsumerRecord<String, byte[]> close = KafkaTestBroker.awaitRecords(gw.inbound,
        r -> "wx.socket.close".equals(header(r, "ce_type"))
            && new JsonObject(text(r)).getInteger("code") == code, 1, Duration.ofSeconds(20)).get(0);
    assertEquals(initiator, new JsonObject(text(close)).getString("initiator"));
  }

  private List<String> messageTexts() {
    return KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.message".equals(header(r, "ce_type")), 1,
        Duration.ofSeconds(20)).stream().map(r -> text(r)).toList();
  }
}
