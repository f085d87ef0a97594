package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.wxgateway.common.process.ChildJvm;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.common.testing.Traffic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM during traffic, against the real launcher in a child JVM: clients see 1001 spread over the
 * drain window, the process exits cleanly within the deadline, and Kafka holds each message the
 * clients sent exactly once, numbered without gaps.
 */
class GracefulShutdownTest {

  private static final int SOCKETS = 10;
  private static final long WINDOW_MS = 3_000;

  @Test
  void sigtermDrainsSocketsOverTheWindowFlushesAndExits() throws Exception {
    int port = TestEnv.freePort();
    String inbound = KafkaTestBroker.uniqueTopic("in");
    Process child = startChild(port, inbound);
    Vertx clients = Vertx.vertx();
    try {
      List<TestSocket> sockets = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        sockets.add(TestSocket.connect(clients, port, "/ws"));
      }
      Traffic traffic = Traffic.start(sockets);
      KafkaTestBroker.awaitRecords(inbound, r -> "wx.socket.message".equals(header(r, "ce_type")), 50,
          Duration.ofSeconds(30)); // traffic is flowing
      long signalled = System.nanoTime();
      child.destroy(); // SIGTERM
      List<Long> closedAt = new ArrayList<>();
      for (TestSocket s : sockets) {
        TestSocket.Closed closed = s.awaitClose();
        assertEquals(1001, closed.code(), "closed by the drain");
        closedAt.add((closed.atNanos() - signalled) / 1_000_000);
      }
      traffic.stop();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the process exits within the deadline");
      assertEquals(0, child.exitValue());
      long spread = closedAt.stream().mapToLong(Long::longValue).max().orElseThrow()
          - closedAt.stream().mapToLong(Long::longValue).min().orElseThrow();
      assertTrue(spread >= WINDOW_MS / 2, "closes spread over the window: " + closedAt);
      assertEachConnectionComplete(inbound);
    } finally {
      child.destroyForcibly();
      clients.close().await();
    }
  }

  /** Every connection's records: open, m0, m1, ... without gap or duplicate, then close. */
  private static void assertEachConnectionComplete(String inbound) {
    List<ConsumerRecord<String, byte[]>> closes = KafkaTestBroker.awaitRecords(inbound,
        r -> "wx.socket.close".equals(header(r, "ce_type")), SOCKETS, Duration.ofSeconds(30));
    Map<String, List<String>> byConnection = new HashMap<>();
    long total = closes.stream().mapToLong(r -> Long.parseLong(header(r, "ce_seq"))).sum();
    for (ConsumerRecord<String, byte[]> r : KafkaTestBroker.awaitRecords(inbound, r -> true, (int) total,
        Duration.ofSeconds(30))) {
      byConnection.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(header(r, "ce_type") + ":"
          + new String(r.value(), StandardCharsets.UTF_8));
    }
    assertEquals(SOCKETS, byConnection.size());
    for (List<String> records : byConnection.values()) {
      assertTrue(records.get(0).startsWith("wx.socket.open"));
      assertTrue(records.get(records.size() - 1).startsWith("wx.socket.close"));
      for (int i = 1; i < records.size() - 1; i++) {
        assertEquals("wx.socket.message:m" + (i - 1), records.get(i), "no gap, no duplicate");
      }
    }
  }

  /** The real launcher in a child JVM, its drain window {@link #WINDOW_MS}, no per-socket rate limit. */
  private static Process startChild(int port, String inbound) throws Exception {
    Map<String, String> env = TestEnv.singleNode(port)
        .with("WXGW_KAFKA_INBOUND_TOPIC", inbound)
        .with("WXGW_GATEWAY_SOCKET_MESSAGES_PER_SECOND", "0")
        .with("WXGW_DRAIN_WINDOW_MS", Long.toString(WINDOW_MS))
        .with("WXGW_DRAIN_DEADLINE_MS", "20000")
        .build();
    return ChildJvm.of(Launcher.class).env(env).log("graceful-shutdown-child.log")
        .start(line -> line.startsWith("wx-gateway is running"));
  }
}
