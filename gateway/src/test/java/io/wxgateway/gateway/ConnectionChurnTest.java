package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of phones that vanish: sockets upgraded and then dropped without a close frame (half
 * with a TCP RST, half with a plain FIN), plus connections dropped in the middle of their handshake.
 * Nothing may stay behind: not in the registry, not in the open-sockets gauge, not on the heap; and
 * every vanished socket gets its close event with 1006.
 */
class ConnectionChurnTest {

  /** Upgraded sockets dropped in the storm ({@code -Dchurn.sockets=N} for another storm); the warm-up adds a batch. */
  private static final int SOCKETS = Integer.getInteger("churn.sockets", 2_000);
  private static final int BATCH = 100;
  /** Handshakes abandoned half-way, per batch: they never become sockets. */
  private static final int ABANDONED_PER_BATCH = 10;
  /** Observed: under 1 MB for 2,000 or 6,000 sockets; a leaked session per socket would pass 16 MB. */
  private static final long HEAP_GROWTH_BOUND = 16L * 1024 * 1024;
  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void socketsDroppedWithoutACloseFrameAreAllReported1006AndLeaveNothingBehind() {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2));
    TestSocket bystander = TestSocket.connect(gw.vertx, gw.port, "/ws");
    // Warm-up: class loading, buffer pools and the producer's buffers belong in the baseline, not in the growth.
    storm(BATCH);
    awaitOnlyTheBystanderLeft();
    closeEvents(BATCH);
    long before = HeapProbe.usedAfterGc();

    long start = System.nanoTime();
    storm(SOCKETS);
    awaitOnlyTheBystanderLeft();
    long stormMs = (System.nanoTime() - start) / 1_000_000;

    assertEveryDroppedSocketReported1006();

    long growth = HeapProbe.usedAfterGc() - before;
    System.out.printf("churn: %d sockets (+%d abandoned handshakes) in %d ms; heap %s -> growth %s%n", SOCKETS,
        SOCKETS / BATCH * ABANDONED_PER_BATCH, stormMs, HeapProbe.mb(before), HeapProbe.mb(growth));
    assertTrue(growth < HEAP_GROWTH_BOUND, "the heap grew by " + HeapProbe.mb(growth) + " after " + SOCKETS
        + " sockets came and went (bound " + HeapProbe.mb(HEAP_GROWTH_BOUND) + ")");

    bystander.sendText("ping");
    assertEquals("pong", bystander.next().asText(), "the bystander is still served");
    bystander.close();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 0);
    assertEquals(0.0, gauge("wx.sockets.open"));
  }

  /** A method of its own so that the thousands of records read are garbage before the heap is measured. */
  private void assertEveryDroppedSocketReported1006() {
    List<ConsumerRecord<String, byte[]>> opens = KafkaTestBroker.awaitRecords(gw.inbound,
        r -> "wx.socket.open".equals(header(r, "ce_type")), 1 + BATCH + SOCKETS, Duration.ofSeconds(60));
    List<ConsumerRecord<String, byte[]>> closes = closeEvents(BATCH + SOCKETS);
    Set<String> opened = opens.stream().map(ConsumerRecord::key).collect(Collectors.toCollection(HashSet::new));
    assertEquals(1 + BATCH + SOCKETS, opened.size(), "one open event per socket");
    Set<String> closed = closes.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    assertEquals(BATCH + SOCKETS, closed.size(), "one close event per dropped socket");
    assertTrue(opened.containsAll(closed));
    for (ConsumerRecord<String, byte[]> close : closes) {
      JsonObject event = new JsonObject(text(close));
      assertEquals(1006, event.getInteger("code"), event.encode());
      assertEquals("client", event.getString("initiator"), event.encode());
    }
    assertEquals(BATCH + SOCKETS, gw.counter("wx.sockets.closed", "code", "1006", "initiator", "client"));
  }

  /**
   * Opens {@code sockets} sockets in batches: each batch connects, upgrades, then drops every socket
   * without a close frame, alternating RST and FIN; and abandons a few handshakes half-way with a RST.
   */
  private void storm(int sockets) {
    for (int done = 0; done < sockets; done += BATCH) {
      List<RawClient> batch = new ArrayList<>();
      List<RawClient> abandoned = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(RawClient.connect(gw.port).write(RawClient.upgradeRequest("/ws",
            "Sec-WebSocket-Key: " + RawClient.KEY, "Sec-WebSocket-Version: 13")));
      }
      for (int i = 0; i < ABANDONED_PER_BATCH; i++) {
        abandoned.add(RawClient.connect(gw.port).write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: web"));
      }
      for (RawClient client : batch) {
        RawClient.HttpResponse response = client.readResponse();
        assertEquals(101, response == null ? -1 : response.status(), "upgrade during the storm");
      }
      for (int i = 0; i < BATCH; i++) {
        if (i % 2 == 0) {
          batch.get(i).abort();
        } else {
          batch.get(i).close();
        }
      }
      abandoned.forEach(RawClient::abort);
    }
  }

  private void awaitOnlyTheBystanderLeft() {
    Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS)
        .until(() -> gw.node.registry().size() == 1);
    assertEquals(1.0, gauge("wx.sockets.open"), "the gauge follows the registry");
  }

  private List<ConsumerRecord<String, byte[]>> closeEvents(int count) {
    return KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.socket.close".equals(header(r, "ce_type")), count,
        Duration.ofSeconds(60));
  }

  private double gauge(String name) {
    return gw.meters.find(name).gauge().value();
  }
}
