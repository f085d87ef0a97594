package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Vertx;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
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
    int port = RelayLoopTest.freePort();
    String inbound = KafkaTestBroker.uniqueTopic("in");
    Process child = startChild(port, inbound);
    Vertx clients = Vertx.vertx();
    try {
      List<TestSocket> sockets = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        sockets.add(TestSocket.connect(clients, port, "/ws"));
      }
      AtomicBoolean sending = new AtomicBoolean(true);
      Thread traffic = new Thread(() -> {
        for (int n = 0; sending.get(); n++) {
          for (TestSocket s : sockets) {
            try {
              s.sendText("m" + n);
            } catch (RuntimeException closed) {
              // this socket was drained: the others keep going
            }
          }
        }
      }, "traffic");
      traffic.start();
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
      sending.set(false);
      traffic.join();
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

  private static Process startChild(int port, String inbound) throws Exception {
    Path log = Path.of("target", "graceful-shutdown-child.log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Launcher.class.getName()).redirectErrorStream(true);
    pb.environment().putAll(Map.of(
        "WXGW_KAFKA_BOOTSTRAP_SERVERS", KafkaTestBroker.bootstrapServers(),
        "WXGW_KAFKA_INBOUND_TOPIC", inbound,
        "WXGW_KAFKA_OUTBOUND_TOPIC", KafkaTestBroker.uniqueTopic("out"),
        "WXGW_KAFKA_DEAD_LETTER_TOPIC", KafkaTestBroker.uniqueTopic("dlq"),
        "WXGW_GATEWAY_HOST", "127.0.0.1",
        "WXGW_GATEWAY_PORT", Integer.toString(port),
        "WXGW_MANAGEMENT_PORT", "0",
        "WXGW_GATEWAY_SOCKET_MESSAGES_PER_SECOND", "0",
        "WXGW_DRAIN_WINDOW_MS", Long.toString(WINDOW_MS),
        "WXGW_DRAIN_DEADLINE_MS", "20000"));
    Process process = pb.start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           var out = Files.newBufferedWriter(log)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line);
          out.newLine();
          out.flush();
          if (line.startsWith("wx-gateway is running")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the child is gone
      }
    }, "child-output");
    pump.setDaemon(true);
    pump.start();
    if (!ready.await(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child did not start; see " + log.toAbsolutePath());
    }
    return process;
  }
}
