package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that completes the upgrade and then goes silent (a phone that lost its network: it neither
 * reads nor writes nor answers pings) is closed with 4000 after the idle timeout, while a socket that
 * answers the gateway's pings stays open.
 */
class HalfOpenSocketTest {

  private static final long PING_INTERVAL_MS = 300;
  private static final long IDLE_TIMEOUT_MS = 1500;
  private GatewayTestSupport gw;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2)
        .setSocket(new SocketOptions().setPingIntervalMs(PING_INTERVAL_MS).setIdleTimeoutMs(IDLE_TIMEOUT_MS)));
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void aPeerThatGoesSilentAfterTheUpgradeIsClosedWith4000AtTheIdleTimeout() {
    TestSocket bystander = TestSocket.connect(gw.vertx, gw.port, "/ws"); // Vert.x answers pings, as wx does
    try (RawClient silent = RawClient.upgrade(gw.port, "/ws")) {
      long start = System.nanoTime();
      // A peer that never answers the close frame either: the gateway waits for Vert.x's closing
      // timeout (10 s by default) before it drops the TCP connection, and only then reports the close.
      Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
          .until(() -> gw.node.registry().size() == 1);
      long goneMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(goneMs >= IDLE_TIMEOUT_MS, "gone after " + goneMs + " ms, before the idle timeout");

      JsonObject event = new JsonObject(text(KafkaTestBroker.awaitRecords(gw.inbound,
          r -> "wx.socket.close".equals(header(r, "ce_type")), 1, Duration.ofSeconds(20)).get(0)));
      assertEquals(4000, event.getInteger("code"), event.encode());
      assertEquals("idle timeout", event.getString("reason"));
      assertEquals("server", event.getString("initiator"));
      assertEquals(1, gw.counter("wx.sockets.closed", "code", "4xxx", "initiator", "server"));

      // What the silent peer would have read had it looked: the gateway's pings, then the 4000 close frame.
      RawClient.Ending ending = silent.awaitEnd();
      assertEquals(4000, ending.code());
      assertTrue(ending.framesBefore() >= 1, "the gateway pinged the silent peer before giving up");
      assertTrue(silent.awaitEof(), "the TCP connection is closed");
      System.out.printf("half-open: silent peer removed %d ms after its upgrade, after %d pings%n", goneMs,
          ending.framesBefore());
    }
    assertFalse(bystander.isClosed(), "a socket that answers pings outlives the idle timeout");
    bystander.sendText("ping");
    assertEquals("pong", bystander.next().asText());
    bystander.close();
  }

  @Test
  void aPeerThatOnlyAnswersPingsStaysOpenAndOneThatStopsIsClosed() {
    try (RawClient peer = RawClient.upgrade(gw.port, "/ws")) {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * IDLE_TIMEOUT_MS);
      int pongs = 0;
      while (System.nanoTime() < until) {
        RawClient.Frame ping = peer.readFrame();
        assertEquals(RawClient.PING, ping.opcode(), "only pings while the peer keeps answering");
        peer.sendFrame(true, RawClient.PONG, ping.payload());
        pongs++;
      }
      assertTrue(pongs >= 3, pongs + " pongs");
      assertEquals(1, gw.node.registry().size(), "answering pings keeps the socket open");
      RawClient.Ending ending = peer.awaitEnd(); // now it stops answering
      assertEquals(4000, ending.code());
      peer.sendFrame(true, RawClient.CLOSE, RawClient.closeBody(4000, "")); // a peer that answers the close
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 0);
    }
  }
}
