package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hand-built frames that break RFC 6455, and control-frame floods. Netty's decoder refuses a broken
 * frame by failing the connection: the client gets no close frame (a drop), and the close event on
 * the inbound topic says 1002 (1007 for a close reason that is not UTF-8), initiated by the server.
 * A socket opened before the attack is still served afterwards.
 */
class HostileFramesTest {

  private static final int FLOOD = 10_000;
  private GatewayTestSupport gw;
  private TestSocket bystander;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2));
    bystander = TestSocket.connect(gw.vertx, gw.port, "/ws");
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void aPingOver125BytesIsDroppedAndReportedAs1002() {
    assertDroppedAndReported(RawClient.frame(true, RawClient.PING, new byte[126]), 1002,
        "control frame with payload length > 125 octets");
    assertEquals(1, gw.counter("wx.messages.rejected", "reason", "protocol-error"));
    assertBystanderServed();
  }

  @ParameterizedTest(name = "close code {0} on the wire")
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 2999})
  void aCloseFrameWithACodeNoEndpointMaySendIsDroppedAndReportedAs1002(int code) {
    assertDroppedAndReported(RawClient.frame(true, RawClient.CLOSE, RawClient.closeBody(code, "bye")), 1002,
        "Invalid close frame getStatus code: " + code);
    assertBystanderServed();
  }

  @Test
  void malformedCloseFramesAreDroppedAndReported() {
    assertDroppedAndReported(RawClient.frame(true, RawClient.CLOSE, new byte[] {3}), 1002,
        "received close control frame with payload len 1");
    assertDroppedAndReported(RawClient.frame(true, RawClient.CLOSE, new byte[] {3, (byte) 0xe8, (byte) 0xc3, 0x28}),
        1007, "bytes are not UTF-8"); // code 1000, reason not UTF-8
    assertBystanderServed();
  }

  @Test
  void otherProtocolViolationsAreDroppedAndReportedAs1002() {
    assertDroppedAndReported(RawClient.frame(true, RawClient.TEXT, "x".getBytes(StandardCharsets.UTF_8), false),
        1002, "received a frame that is not masked as expected");
    assertDroppedAndReported(RawClient.frame(true, 0x3, new byte[1]), 1002, "data frame using reserved opcode 3");
    assertDroppedAndReported(RawClient.frame(true, 0xB, new byte[1]), 1002, "control frame using reserved opcode 11");
    assertDroppedAndReported(RawClient.frame(false, RawClient.PING, new byte[1]), 1002, "fragmented control frame");
    assertEquals(4, gw.counter("wx.messages.rejected", "reason", "protocol-error"));
    assertBystanderServed();
  }

  /** Close codes a client may send (1000-1003, 1007-1014, 3000-4999) are echoed and reported as sent. */
  @Test
  void aValidOrEmptyCloseFrameIsEchoedAndReportedAsTheClientsClose() {
    assertClosedAndReported(RawClient.closeBody(4999, "done"), 4999, "done");
    assertClosedAndReported(RawClient.closeBody(1014, ""), 1014, null);
    assertClosedAndReported(new byte[0], 1000, null); // no status: Vert.x answers and reports 1000, not 1005
    assertBystanderServed();
  }

  @Test
  void aFloodOfPingsIsClosedWith1008LikeAnyFloodWhileTheBystanderWaitsNoLonger() throws Exception {
    try (RawClient flooder = RawClient.upgrade(gw.port, "/ws")) {
      CompletableFuture<int[]> answer = CompletableFuture.supplyAsync(() -> {
        int pongs = 0;
        for (RawClient.Frame f = flooder.readFrame(); f != null; f = flooder.readFrame()) {
          if (f.opcode() == RawClient.CLOSE) {
            return new int[] {pongs, f.closeCode()};
          }
          assertEquals(RawClient.PONG, f.opcode());
          pongs++;
        }
        return new int[] {pongs, -1};
      });
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      for (int i = 0; i < FLOOD; i++) {
        flood.write(RawClient.frame(true, RawClient.PING, ("p" + i).getBytes(StandardCharsets.UTF_8)));
      }
      flooder.tryWrite(flood.toByteArray()); // the gateway may stop reading or close mid-write
      long start = System.nanoTime();
      bystander.sendText("ping");
      assertEquals("pong", bystander.next().asText());
      long waitedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(waitedMs < 2000, "the bystander's heartbeat took " + waitedMs + " ms during the flood");
      int[] result = answer.get(60, TimeUnit.SECONDS);
      assertEquals(1008, result[1], "pings count against gateway.socket.messagesPerSecond");
      assertTrue(result[0] < FLOOD, "the flood was cut short after " + result[0] + " pongs");
    }
    JsonObject event = closeEventWithCode(1008);
    assertEquals("server", event.getString("initiator"));
    assertEquals("rate limit exceeded", event.getString("reason"));
    assertBystanderServed();
  }

  @Test
  void closeCodesAbove4999AreNotReportedVerbatim() {
    for (int code : new int[] {5000, 65535}) {
      try (RawClient client = RawClient.upgrade(gw.port, "/ws")) {
        client.sendFrame(true, RawClient.CLOSE, RawClient.closeBody(code, ""));
        client.awaitEnd();
      }
    }
    List<Integer> reported = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.close".equals(header(r,
        "ce_type")), 2, Duration.ofSeconds(20)).stream().map(r -> new JsonObject(text(r)).getInteger("code")).toList();
    assertTrue(reported.stream().allMatch(c -> c >= 1000 && c <= 4999), "close events reported " + reported);
    List<String> tags = gw.meters.find("wx.sockets.closed").counters().stream().map(c -> c.getId().getTag("code"))
        .toList();
    assertTrue(tags.stream().allMatch(t -> t.matches("1\\d{3}|3xxx|4xxx")), "code tags " + tags);
  }

  /**
   * Vert.x writes a pong for every ping it decodes, before the gateway sees the ping: {@link PingGuard}
   * drops the pings past the socket's rate before Vert.x does, and the flood still closes with 1008.
   */
  @Test
  void aPingFlooderThatNeverReadsCannotGrowTheHeapWithoutBound() throws Exception {
    assertPingFlooderBounded("rate limit exceeded");
  }

  /** Without rates, the outbound bound alone stops the pongs: pings are dropped once it is reached. */
  @Test
  void withoutRatesAPingFlooderThatNeverReadsIsBoundedByItsOutboundQueue() throws Exception {
    gw.close();
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2)
        .setSocket(new SocketOptions().setMessagesPerSecond(0).setBytesPerSecond(0)));
    bystander = TestSocket.connect(gw.vertx, gw.port, "/ws");
    assertPingFlooderBounded("client too slow");
  }

  /**
   * Issue 11 item 5: the text heartbeat's replies obey the same outbound bound as deliveries. A client
   * within its rates that sends heartbeats and never reads is closed with 1008 (counted) once its
   * replies fill {@code maxOutboundBytes}, instead of growing the gateway's buffer without limit.
   */
  @Test
  void aHeartbeatSenderThatNeverReadsIsClosedWhenItsRepliesFillTheOutboundBound() {
    gw.close();
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setHeartbeatResponse("p".repeat(32 * 1024))
        .setSocket(new SocketOptions().setMessagesPerSecond(0).setBytesPerSecond(0).setMaxOutboundBytes(64 * 1024)));
    int heartbeats = 400; // 12.8 MB of replies, well past what the kernel's buffers take
    try (RawClient client = RawClient.upgrade(gw.port, "/ws", 4096)) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < heartbeats; i++) {
        burst.writeBytes(RawClient.frame(true, RawClient.TEXT, "ping".getBytes(StandardCharsets.UTF_8)));
      }
      client.write(burst.toByteArray());
      org.awaitility.Awaitility.await().atMost(20, TimeUnit.SECONDS)
          .until(() -> gw.counter("wx.messages.rejected", "reason", "rate-limited") >= 1);
      RawClient.Ending ending = client.awaitEnd(); // only now does the client read
      assertEquals(1008, ending.code());
      assertTrue(ending.framesBefore() < heartbeats, ending.framesBefore() + " replies were queued");
      client.sendFrame(true, RawClient.CLOSE, RawClient.closeBody(1008, ""));
    }
    JsonObject event = closeEventWithCode(1008);
    assertEquals("client too slow", event.getString("reason"));
    assertTrue(gw.counter("wx.messages.out", "type", "heartbeat") < heartbeats);
  }

  /** 26 MB of pings from a socket that never reads: the heap holds at most about its outbound bound. */
  private void assertPingFlooderBounded(String reason) throws Exception {
    long before = HeapProbe.usedAfterGc();
    RawClient flooder = RawClient.upgrade(gw.port, "/ws");
    ByteArrayOutputStream batch = new ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      batch.write(RawClient.frame(true, RawClient.PING, new byte[125]));
    }
    byte[] pings = batch.toByteArray(); // 131 KB; 200 of them: 26 MB of pings, 25 MB of pong payload
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 200 && flooder.tryWrite(pings); i++) {
        // the gateway may stop reading (the write blocks) or close the socket (the write fails)
      }
    }, "ping-flooder");
    writer.start();
    writer.join(30_000);
    long growth = HeapProbe.usedAfterGc() - before;
    flooder.abort(); // also ends a write blocked by backpressure
    writer.join(10_000);
    assertTrue(growth < 16 * 1024 * 1024, "heap grew by " + HeapProbe.mb(growth) + " for one socket that never reads;"
        + " the per-socket bound is gateway.socket.maxOutboundBytes (1 MB)");
    JsonObject event = closeEventWithCode(1008); // the flooder never reads the close frame: the event says it
    assertEquals("server", event.getString("initiator"));
    assertEquals(reason, event.getString("reason"));
    assertBystanderServed();
  }

  /** Sends the frame on a fresh socket: the gateway drops it without a close frame and reports {@code code}. */
  private void assertDroppedAndReported(byte[] frame, int code, String reason) {
    try (RawClient client = RawClient.upgrade(gw.port, "/ws")) {
      client.write(frame);
      RawClient.Ending ending = client.awaitEnd();
      assertTrue(ending.dropped(), "expected a drop, got close frame " + ending.code());
    }
    JsonObject event = closeEventWithReason(reason);
    assertEquals(code, event.getInteger("code"), event.encode());
    assertEquals("server", event.getString("initiator"));
  }

  /** Sends a close frame with {@code body}: the gateway echoes it and reports the client's close. */
  private void assertClosedAndReported(byte[] body, int code, String reason) {
    try (RawClient client = RawClient.upgrade(gw.port, "/ws")) {
      client.sendFrame(true, RawClient.CLOSE, body);
      RawClient.Ending ending = client.awaitEnd();
      assertEquals(code, ending.code(), "the echoed close frame");
      assertTrue(client.awaitEof(), "the gateway closes the TCP connection after the close handshake");
    }
    JsonObject event = closeEventWithCode(code);
    assertEquals("client", event.getString("initiator"));
    assertEquals(reason, event.getString("reason"));
  }

  private JsonObject closeEventWithReason(String reason) {
    return new JsonObject(text(KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.close".equals(header(r,
        "ce_type")) && reason.equals(new JsonObject(text(r)).getString("reason")), 1, Duration.ofSeconds(20)).get(0)));
  }

  private JsonObject closeEventWithCode(int code) {
    return new JsonObject(text(KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.close".equals(header(r,
        "ce_type")) && new JsonObject(text(r)).getInteger("code") == code, 1, Duration.ofSeconds(20)).get(0)));
  }

  private void assertBystanderServed() {
    gw.assertServed(bystander);
  }

}
