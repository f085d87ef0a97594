package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.metrics.WxMeter;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.kafka.embedded.EmbeddedKafkaBroker;
import io.wxgateway.kafka.embedded.EmbeddedKafkaOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator watches, checked against a running node: every meter of the catalogue in a real
 * scrape with plausible values, the README's metrics table naming every meter, and readiness
 * following the broker down and back up. The broker is this test's own, so it can be stopped.
 */
class ObservabilityTest {

  private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

  @Test
  void everyMeterIsScrapedWithPlausibleValuesAndReadinessFollowsTheBroker(@TempDir Path dir) throws Exception {
    EmbeddedKafkaOptions brokerOptions = new EmbeddedKafkaOptions().setDataDir(dir.resolve("kafka"))
        .setPort(TestEnv.freePort());
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(brokerOptions).start();
    // The default topics (wx.inbound, ...) on this test's own broker.
    TestNode node = TestNode.start(TestEnv.node()
        .with("WXGW_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers())
        .with("WXGW_GATEWAY_MAX_MESSAGE_BYTES", "1024")
        .with("WXGW_DEMO_ECHO", "true"));
    try {
      generateTraffic(node, broker.bootstrapServers());
      String deadLetter = "wx_dead_letters_total{reason=\"connection-not-found\"}";
      Awaitility.await().atMost(30, TimeUnit.SECONDS)
          .until(() -> scrape(node).getOrDefault(deadLetter, 0.0) >= 1);
      Map<String, Double> scrape = scrape(node);
      assertEveryCatalogueMeterIsThere(scrape);
      assertAtLeast(scrape, "wx_sockets_opened_total", 2);
      assertAtLeast(scrape, "wx_messages_in_total{type=\"text\"}", 3);
      assertAtLeast(scrape, "wx_messages_in_total{type=\"binary\"}", 1);
      assertAtLeast(scrape, "wx_messages_in_total{type=\"heartbeat\"}", 1);
      assertAtLeast(scrape, "wx_messages_rejected_total{reason=\"too-big\"}", 1);
      assertAtLeast(scrape, "wx_handshakes_rejected_total{reason=\"not-found\"}", 1);
      assertAtLeast(scrape, "wx_outbound_delivered_total", 4);
      assertAtLeast(scrape, "wx_kafka_produce_latency_seconds_count", 4);
      assertAtLeast(scrape, "wx_eventbus_delivery_latency_seconds_count{locality=\"local\"}", 4);
      assertTrue(scrape.get("wx_kafka_produce_latency_seconds_max") < 30, "latencies in seconds, plausible");
      assertAtLeast(scrape, "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}", 1);
      assertEquals(List.of(), vertxHttpSeries(scrape), "Vert.x's HTTP server meters are off by default");

      assertReady(node, 200);
      broker.close();
      assertReady(node, 503);
      broker = new EmbeddedKafkaBroker(brokerOptions).start();
      assertReady(node, 200);
    } finally {
      node.close();
      broker.close();
    }
  }

  @Test
  void theReadmeMetricsTableNamesEveryMeterOfTheCatalogue() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    List<String> missing = new ArrayList<>();
    for (WxMeter meter : WxMeter.values()) {
      if (!readme.contains("| `" + meter.meterName() + "` |")) {
        missing.add(meter.meterName());
      }
    }
    assertEquals(List.of(), missing, "meters missing from the README's metrics table");
  }

  /** Text, heartbeat and binary echoes, a message too big, a handshake refused, a record for no connection. */
  private static void generateTraffic(TestNode node, String bootstrap) throws Exception {
    TestSocket socket = node.connect("/ws");
    socket.sendText("ping");
    assertEquals("pong", socket.next().asText());
    for (String m : List.of("one", "two", "three")) {
      socket.sendText(m);
      assertEquals(m, socket.next().asText());
    }
    socket.sendBinary(Buffer.buffer(new byte[] {1, 2}));
    socket.next();
    socket.close();
    TestSocket tooBig = node.connect("/ws");
    tooBig.sendText("x".repeat(1500));
    assertEquals(1009, tooBig.awaitClose().code());
    assertEquals(404, TestSocket.rejectedStatus(node.clients(), TestSocket.connectOptions(node.port(), "/elsewhere")));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new StringSerializer(), new ByteArraySerializer())) {
      producer.send(OutboundRecords.record("wx.outbound", "k", "x".getBytes(),
          "ce_connectionid", node.runtime().nodeId() + ".AAAAAAAAAAAAAAAAAAAAAA")).get();
    }
  }

  private static void assertEveryCatalogueMeterIsThere(Map<String, Double> scrape) {
    List<String> missing = new ArrayList<>();
    for (WxMeter meter : WxMeter.values()) {
      String name = exposedName(meter);
      if (scrape.keySet().stream().noneMatch(k -> k.equals(name) || k.startsWith(name + "{"))) {
        missing.add(meter.meterName() + " (" + name + ")");
      }
    }
    assertEquals(List.of(), missing, "catalogue meters missing from a real scrape");
  }

  /** The series name Prometheus shows for a meter: dots to underscores, the unit, then the type's suffix. */
  static String exposedName(WxMeter meter) {
    String base = meter.meterName().replace('.', '_');
    return switch (meter.type()) {
      case COUNTER -> base + (meter.baseUnit() == null ? "" : "_" + meter.baseUnit()) + "_total";
      case GAUGE -> base + (meter.baseUnit() == null ? "" : "_" + meter.baseUnit());
      case TIMER -> base + "_seconds_count";
    };
  }

  @Test
  void vertxHttpServerMetersComeBackWhenAskedForWithoutTheMethodLabel() throws Exception {
    TestNode node = TestNode.start(TestEnv.node().with("WXGW_MANAGEMENT_VERTX_HTTP_METRICS", "true"));
    try {
      TestSocket socket = node.connect("/ws");
      List<String> vertxHttp = vertxHttpSeries(scrape(node));
      assertTrue(vertxHttp.stream().anyMatch(k -> k.startsWith("vertx_http_server_active_ws_connections")), "" + vertxHttp);
      assertTrue(vertxHttp.stream().anyMatch(k -> k.startsWith("vertx_http_server_requests_total{")), "" + vertxHttp);
      assertEquals(List.of(), vertxHttp.stream().filter(k -> k.contains("method=")).toList(),
          "the method label (always GET on the WebSocket port) cost 72 B a socket");
      socket.close();
    } finally {
      node.close();
    }
  }

  private static List<String> vertxHttpSeries(Map<String, Double> scrape) {
    return scrape.keySet().stream().filter(k -> k.startsWith("vertx_http_server_")).sorted().toList();
  }

  private static void assertAtLeast(Map<String, Double> scrape, String series, double least) {
    Double value = scrape.get(series);
    assertTrue(value != null && value >= least, series + " = " + value + ", expected at least " + least);
  }

  private static Map<String, Double> scrape(TestNode node) throws Exception {
    String body = node.get("/metrics").body();
    Map<String, Double> samples = new HashMap<>();
    Matcher m = SAMPLE.matcher(body);
    while (m.find()) {
      samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return samples;
  }

  private static void assertReady(TestNode node, int status) {
    Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(500, TimeUnit.MILLISECONDS).until(() -> {
      HttpResponse<String> response = node.get("/health/ready");
      return response.statusCode() == status
          && new JsonObject(response.body()).getJsonObject("checks").getJsonObject("kafka")
              .getBoolean("reachable") == (status == 200);
    });
  }
}
