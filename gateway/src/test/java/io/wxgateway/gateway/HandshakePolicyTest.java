package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.HandshakeOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Allow-lists, subprotocols, capacity and rates: each refusal is its HTTP status before the upgrade. */
class HandshakePolicyTest {

  private static final String REFERER = "https://servicewechat.com/wxallowed/12/page-frame.html";
  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    gw.close();
  }

  private void start(HandshakeOptions handshake) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(1).setHandshake(handshake));
  }

  @Test
  void appIdAllowListFiltersOnTheReferer() {
    start(new HandshakeOptions().setAppIds(List.of("wxallowed")));
    assertEquals(403, status(headers("Referer", "https://servicewechat.com/wxother/1/page-frame.html")));
    assertEquals(403, status(headers()), "no Referer, no entry when a list is configured");
    TestSocket.connect(gw.vertx, gw.port, "/ws", headers("Referer", REFERER)).close();
    JsonObject open = new JsonObject(text(firstOpen()));
    assertEquals("wxallowed", open.getString("appId"));
    assertEquals("12", open.getString("appVersion"));
    assertEquals(2, gw.counter("wx.handshakes.rejected", "reason", "appid"));
  }

  @Test
  void theFirstOfferedSupportedSubprotocolIsEchoedAndUnsupportedOnesGet400() {
    start(new HandshakeOptions().setSubprotocols(List.of("wx.v2", "wx.v1")));
    TestSocket socket = TestSocket.connect(gw.vertx, TestSocket.clientOptions(),
        TestSocket.connectOptions(gw.port, "/ws").setSubProtocols(List.of("chat", "wx.v1", "wx.v2")));
    assertEquals("wx.v1", socket.subProtocol());
    socket.sendText("x");
    List<ConsumerRecord<String, byte[]>> records = KafkaTestBroker.awaitRecords(gw.inbound, r -> true, 2,
        Duration.ofSeconds(20));
    assertEquals("wx.v1", new JsonObject(text(records.get(0))).getString("subprotocol"));
    assertEquals("wx.v1", header(records.get(1), "ce_subprotocol"));
    socket.close();
    assertEquals(400, TestSocket.rejectedStatus(gw.vertx,
        TestSocket.connectOptions(gw.port, "/ws").setSubProtocols(List.of("mqtt"))));
    TestSocket.connect(gw.vertx, gw.port, "/ws").close(); // offering none is fine by default
  }

  @Test
  void aRequiredSubprotocolRefusesClientsThatOfferNone() {
    start(new HandshakeOptions().setSubprotocols(List.of("wx.v1")).setRequireSubprotocol(true));
    assertEquals(400, status(headers()));
  }

  @Test
  void onlyAllowListedHeadersReachTheOpenEventAndNeverAuthorizationOrCookies() {
    start(new HandshakeOptions().setHeaders(List.of("X-Device", "Authorization", "Cookie")));
    TestSocket.connect(gw.vertx, gw.port, "/ws", headers("X-Device", "iPhone", "Authorization", "Bearer x",
        "Cookie", "s=1", "X-Secret", "no")).close();
    JsonObject headers = new JsonObject(text(firstOpen())).getJsonObject("headers");
    assertEquals(new JsonObject().put("X-Device", "iPhone"), headers);
  }

  @Test
  void originAllowListAppliesWhenAnOriginIsSent() {
    start(new HandshakeOptions().setOrigins(List.of("https://good.example")));
    assertEquals(403, TestSocket.rejectedStatus(gw.vertx, TestSocket.connectOptions(gw.port, "/ws")
        .setAllowOriginHeader(true).setHeaders(headers("Origin", "https://evil.example"))));
    TestSocket.connect(gw.vertx, TestSocket.clientOptions(), TestSocket.connectOptions(gw.port, "/ws")
        .setAllowOriginHeader(true).setHeaders(headers("Origin", "https://good.example"))).close();
    TestSocket.connect(gw.vertx, gw.port, "/ws").close(); // mini programs send no Origin
  }

  @Test
  void aFullNodeAnswers503() {
    start(new HandshakeOptions().setMaxSocketsPerNode(1));
    TestSocket first = TestSocket.connect(gw.vertx, gw.port, "/ws");
    assertEquals(503, status(headers()));
    first.close();
  }

  @Test
  void tooManyHandshakesFromOneAddressGet429AndTrustedProxiesNameTheClient() {
    start(new HandshakeOptions().setPerAddressPerSecond(2).setTrustedProxies(List.of("127.0.0.0/8")));
    MultiMap phoneA = headers("X-Forwarded-For", "203.0.113.7");
    TestSocket.connect(gw.vertx, gw.port, "/ws", phoneA).close();
    TestSocket.connect(gw.vertx, gw.port, "/ws", phoneA).close();
    assertEquals(429, status(phoneA));
    TestSocket.connect(gw.vertx, gw.port, "/ws", headers("X-Forwarded-For", "10.0.0.9, 203.0.113.8")).close();
    Set<String> clients = KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.open".equals(header(r, "ce_type")),
        3, Duration.ofSeconds(20)).stream().map(r -> new JsonObject(text(r)).getString("remoteAddress"))
        .collect(Collectors.toSet());
    assertEquals(Set.of("203.0.113.7", "203.0.113.8"), clients, "the right-most untrusted hop is the client");
  }

  @Test
  void untrustedPeersCannotForgeTheirAddress() {
    start(new HandshakeOptions());
    TestSocket.connect(gw.vertx, gw.port, "/ws", headers("X-Forwarded-For", "198.51.100.1")).close();
    assertFalse(new JsonObject(text(firstOpen())).getString("remoteAddress").contains("198.51.100.1"));
  }

  @Test
  void aSlowOrHalfOpenHandshakeIsDroppedAfterTheTimeout() {
    start(new HandshakeOptions().setTimeoutMs(500));
    NetSocket slow = gw.vertx.createNetClient().connect(gw.port, "127.0.0.1").await();
    Promise<Void> closed = Promise.promise();
    slow.closeHandler(v -> closed.tryComplete());
    slow.write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"); // and never finishes
    closed.future().timeout(10, TimeUnit.SECONDS).await();
    assertEquals(1, gw.counter("wx.handshakes.rejected", "reason", "timeout"));
    TestSocket socket = TestSocket.connect(gw.vertx, gw.port, "/ws"); // a prompt client is unaffected
    assertNull(socket.subProtocol());
    socket.close();
    assertTrue(gw.node.registry().size() <= 1);
  }

  private int status(MultiMap headers) {
    return TestSocket.rejectedStatus(gw.vertx, TestSocket.connectOptions(gw.port, "/ws").setHeaders(headers));
  }

  private ConsumerRecord<String, byte[]> firstOpen() {
    return KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.open".equals(header(r, "ce_type")), 1,
        Duration.ofSeconds(20)).get(0);
  }

  private static MultiMap headers(String... pairs) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.add(pairs[i], pairs[i + 1]);
    }
    return headers;
  }
}
