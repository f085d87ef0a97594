package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.IntStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import io.micrometer.core.instrument.Counter;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.HandshakeOptions;
import io.wxgateway.common.testing.TestSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upgrade requests no WebSocket client would send, written byte for byte over TCP: each gets the
 * status Vert.x/Netty answer with (or is dropped), and a socket opened before the attack is still
 * served afterwards. Statuses observed with Vert.x 5.0.7 / Netty 4.2.9.
 */
class MalformedUpgradeTest {

  private static final int HANDSHAKE_TIMEOUT_MS = 1000;
  private static final String KEY = "Sec-WebSocket-Key: " + RawClient.KEY;
  private static final String V13 = "Sec-WebSocket-Version: 13";
  private GatewayTestSupport gw;
  private TestSocket bystander;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2)
        .setHandshake(new HandshakeOptions().setTimeoutMs(HANDSHAKE_TIMEOUT_MS)));
    bystander = TestSocket.connect(gw.vertx, gw.port, "/ws");
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void missingKeyVersionOrConnectionHeaderGets400NamingTheHeader() {
    assertRefused(400, "Sec-WebSocket-Key", RawClient.upgradeRequest("/ws", V13));
    assertRefused(400, "Sec-WebSocket-Version", RawClient.upgradeRequest("/ws", KEY));
    assertRefused(400, "Connection: Upgrade",
        "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n" + KEY + "\r\n" + V13 + "\r\n\r\n");
    assertRefused(400, "Sec-WebSocket-Key", RawClient.upgradeRequest("/ws", "Sec-WebSocket-Key: ", V13));
    assertBystanderServed();
  }

  /** A token check is work and a rate-limit slot is scarce: neither is spent on what cannot be upgraded. */
  @Test
  void aMalformedUpgradeIsRefusedBeforeTheTokenCheck() {
    gw.close();
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(1)
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
    assertEquals(400, status(RawClient.upgradeRequest("/ws", V13)), "no key and no token: the key is what is wrong");
    assertEquals(1, gw.counter("wx.handshakes.rejected", "reason", "malformed"));
    assertEquals(0, gw.counter("wx.handshakes.rejected", "reason", "unauthorized"));
  }

  @Test
  void anUnknownVersionGets426NamingVersion13() {
    for (String version : new String[] {"99", "12", "14", "abc"}) {
      try (RawClient client = RawClient.connect(gw.port)) {
        client.write(RawClient.upgradeRequest("/ws", KEY, "Sec-WebSocket-Version: " + version));
        RawClient.HttpResponse response = client.readResponse();
        assertEquals(426, response.status(), "Sec-WebSocket-Version: " + version);
        assertEquals("13", response.header("Sec-WebSocket-Version"));
      }
    }
    assertBystanderServed();
  }

  /** Netty still speaks the hybi drafts 7 and 8 (RFC 6455 framing): they are upgraded, not refused with 426. */
  @Test
  void draftVersions7And8AreUpgradedLike13() {
    for (String version : new String[] {"7", "8"}) {
      try (RawClient client = RawClient.connect(gw.port)) {
        client.write(RawClient.upgradeRequest("/ws", KEY, "Sec-WebSocket-Version: " + version));
        assertEquals(101, client.readResponse().status(), "Sec-WebSocket-Version: " + version);
        client.sendText("ping");
        assertEquals("pong", client.readFrame().text());
      }
    }
    assertBystanderServed();
  }

  @Test
  void fourKilobytesOfRandomBytesGet400AndTheConnectionIsClosed() {
    byte[] garbage = new byte[4096];
    new Random(42).nextBytes(garbage); // seeded: Netty's answer depends on where the first CR/LF falls
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(garbage);
      assertEquals(400, client.readResponse().status());
      assertTrue(client.awaitEof(), "the connection is closed after the 400");
    }
    assertBystanderServed();
  }

  /**
   * A ClientHello holds random bytes: when one of them is a LF, Netty parses a broken request line and
   * answers 400; when none is, it waits for the line, and the handshake timer drops the connection.
   */
  @Test
  void aTlsClientHelloOnThePlainPortGets400OrIsDroppedAtTheHandshakeTimeout() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (RawClient client = RawClient.connect(gw.port)) {
        long start = System.nanoTime();
        client.write(tlsClientHello());
        RawClient.HttpResponse response = client.readResponse();
        assertTrue(response == null || response.status() == 400, "a phone using wss:// on the plain port: " + response);
        assertTrue(client.awaitEof(), "the connection is closed");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < HANDSHAKE_TIMEOUT_MS + 5000, "closed after " + elapsedMs + " ms");
      }
    }
    assertBystanderServed();
  }

  /** Control bytes are skipped by Netty's HTTP decoder while it waits for a request line: only the timer ends them. */
  @Test
  void controlBytesWithoutARequestLineGetNoAnswerAndAreDroppedAtTheHandshakeTimeout() {
    assertDroppedAtTheHandshakeTimeout(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00}); // a cut TLS record
    assertDroppedAtTheHandshakeTimeout(new byte[4096]); // NUL bytes
    assertDroppedAtTheHandshakeTimeout("\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // empty lines
    assertEquals(3, gw.counter("wx.handshakes.rejected", "reason", "timeout"));
    assertBystanderServed();
  }

  @Test
  void headersOverTheMaximumHeaderSizeGet431() {
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(RawClient.upgradeRequest("/ws", KEY, V13, "X-Padding: " + "a".repeat(64 * 1024)));
      assertEquals(431, client.readResponse().status(), "a 64 KB header line; Vert.x's maxHeaderSize is 8 KB");
      assertTrue(client.awaitEof(), "the connection is closed after the 431");
    }
    String[] manySmallHeaders = IntStream.range(0, 202).mapToObj(i -> i == 0 ? KEY : i == 1 ? V13
        : "X-H" + i + ": " + "v".repeat(60)).toArray(String[]::new);
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(RawClient.upgradeRequest("/ws", manySmallHeaders));
      assertEquals(431, client.readResponse().status(), "200 headers of 66 bytes: the limit is on their sum");
      assertTrue(client.awaitEof(), "the connection is closed after the 431");
    }
    assertBystanderServed();
  }

  @Test
  void aRequestLineOverTheMaximumInitialLineLengthGets414() {
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(RawClient.upgradeRequest("/ws?q=" + "a".repeat(8 * 1024), KEY, V13));
      assertEquals(414, client.readResponse().status(), "an 8 KB request line; Vert.x's maxInitialLineLength is 4 KB");
      assertTrue(client.awaitEof(), "the connection is closed after the 414");
    }
    assertBystanderServed();
  }

  @Test
  void aConnectionWhoseUpgradeWasRefusedStillEndsAtTheHandshakeTimeout() {
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(RawClient.upgradeRequest("/ws", V13));
      assertEquals(400, client.readResponse().status());
      client.write("GET /ws HTTP/1.1\r\nHost: x\r\n"); // a slowloris request on the same connection
      client.setReadTimeout(HANDSHAKE_TIMEOUT_MS + 5000);
      assertTrue(client.awaitEof(), "the connection must be closed by the handshake timeout");
    }
  }

  /** Counted before the answer is written: a scrape right after a refusal sees it. */
  @Test
  void refusalsOfMalformedUpgradesAreCountedBeforeTheyAreAnswered() {
    double before = rejectedTotal();
    assertEquals(400, status(RawClient.upgradeRequest("/ws", V13)));
    assertEquals(before + 1, rejectedTotal());
    assertEquals(426, status(RawClient.upgradeRequest("/ws", KEY, "Sec-WebSocket-Version: 99")));
    assertEquals(before + 2, rejectedTotal());
  }

  private void assertRefused(int status, String naming, String request) {
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(request);
      RawClient.HttpResponse response = client.readResponse();
      assertEquals(status, response == null ? -1 : response.status(), request);
      String body = client.readBody(response);
      assertTrue(body.contains(naming), "the body names " + naming + ": " + body);
    }
  }

  private int status(String request) {
    try (RawClient client = RawClient.connect(gw.port)) {
      client.write(request);
      RawClient.HttpResponse response = client.readResponse();
      return response == null ? -1 : response.status();
    }
  }

  private void assertDroppedAtTheHandshakeTimeout(byte[] bytes) {
    try (RawClient client = RawClient.connect(gw.port)) {
      long start = System.nanoTime();
      client.write(bytes);
      assertNull(client.readResponse(), "no HTTP answer, the connection is dropped");
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs >= HANDSHAKE_TIMEOUT_MS - 100, "dropped by the handshake timer, after " + elapsedMs + " ms");
    }
  }

  private double rejectedTotal() {
    return gw.meters.find("wx.handshakes.rejected").counters().stream().mapToDouble(Counter::count).sum();
  }

  /** The socket opened before the attack answers its heartbeat and relays a message; newcomers get in. */
  private void assertBystanderServed() {
    gw.assertServed(bystander);
    TestSocket.connect(gw.vertx, gw.port, "/ws").close();
  }


  /** The first flight of a real TLS client (JDK defaults), as a phone on the wrong scheme would send. */
  private static byte[] tlsClientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 443);
    engine.setUseClientMode(true);
    engine.beginHandshake();
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    return hello;
  }
}
