package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.wxgateway.common.process.ChildJvm;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A log collector that stops reading the process's stdout (a full pipe) must not stop the gateway:
 * the per-socket log lines are written on the event loops, and a console write into a full pipe
 * blocks. Against the real launcher with its own logging configuration, in a child JVM whose output
 * is no longer read once it runs.
 */
class StalledLogOutputTest {

  /**
   * Two log lines a socket (open, close), about 250 bytes: many times a pipe's 64 KB, and 12,000 lines,
   * more than the log queue holds (8,192), so the test also fails if a full queue waited.
   */
  private static final int SOCKETS = 6_000;

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES) // a blocked loop would leave a handshake waiting for ever
  void aGatewayWhoseStdoutIsNoLongerReadKeepsAcceptingAndRelaying() throws Exception {
    int port = TestEnv.freePort();
    String inbound = KafkaTestBroker.uniqueTopic("in");
    Map<String, String> env = TestEnv.singleNode(port).with("WXGW_KAFKA_INBOUND_TOPIC", inbound).build();
    // the process's own logging (logback.xml), not the tests' logback-test.xml on the same class path
    Process child = ChildJvm.of(Launcher.class).env(env).log("stalled-output-child.log")
        .systemProperties(Map.of("logback.configurationFile", "logback.xml"))
        .startWithStalledOutput(line -> line.startsWith("wx-gateway is running"));
    Vertx clients = Vertx.vertx();
    try {
      for (int i = 0; i < SOCKETS; i++) {
        TestSocket.connect(clients, port, "/ws").close();
      }
      TestSocket last = TestSocket.connect(clients, port, "/ws");
      last.sendText("still relayed");
      var records = KafkaTestBroker.awaitRecords(inbound,
          r -> "still relayed".equals(new String(r.value(), StandardCharsets.UTF_8)), 1, Duration.ofSeconds(30));
      assertEquals(1, records.size());
      last.close();
    } finally {
      child.destroyForcibly();
      clients.close().await();
    }
  }
}
