package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;

/** The series of a Prometheus scrape: name, then label name, then every value that label has. */
final class Scrape {

  private static final Pattern SERIES_LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s");
  private static final Pattern LABEL_PAIR = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Map<String, Map<String, Set<String>>> series = new TreeMap<>();

  private Scrape() {
  }

  /**
   * Starts a node in process against the test broker, with the demo echo backend, so that counters
   * and timers have values: text, binary and heartbeat traffic, echoed through Kafka. Then scrapes
   * its /metrics and stops it.
   */
  static Scrape ofARealNodeWithTraffic() throws Exception {
    try (TestNode node = TestNode.start(TestEnv.singleNode().with("WXGW_DEMO_ECHO", "true"))) {
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> node.get("/health/ready").statusCode() == 200);
      sendTraffic(node);
      // the socket's close reaches the gateway's counters after the client's close frame is sent
      Awaitility.await().atMost(20, TimeUnit.SECONDS)
          .until(() -> node.get("/metrics").body().contains("wx_sockets_closed_total{"));
      Scrape scrape = parse(node.get("/metrics").body());
      assertTrue(scrape.names().stream().filter(n -> n.startsWith("wx_")).count() >= 10,
          "the scrape has the application's meters: " + scrape.names());
      return scrape;
    }
  }

  private static void sendTraffic(TestNode node) {
    TestSocket socket = node.connect("/ws");
    for (int i = 0; i < 5; i++) {
      socket.sendText("metrics " + i);
      assertEquals("metrics " + i, socket.next().asText());
    }
    socket.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
    assertFalse(socket.next().text());
    socket.sendText("ping");
    assertEquals("pong", socket.next().asText());
    socket.close();
  }

  /** Reads the Prometheus text format; comments are skipped. */
  static Scrape parse(String exposition) {
    Scrape scrape = new Scrape();
    for (String line : exposition.split("\n")) {
      Matcher m = SERIES_LINE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Map<String, Set<String>> labels = scrape.series.computeIfAbsent(m.group(1), k -> new TreeMap<>());
      if (m.group(3) != null) {
        Matcher pair = LABEL_PAIR.matcher(m.group(3));
        while (pair.find()) {
          labels.computeIfAbsent(pair.group(1), k -> new TreeSet<>()).add(pair.group(2));
        }
      }
    }
    return scrape;
  }

  /** The series names, sorted. */
  Set<String> names() {
    return series.keySet();
  }

  boolean has(String name) {
    return series.containsKey(name);
  }

  /** Label name to its values, for one series name. */
  Map<String, Set<String>> labelsOf(String name) {
    return series.get(name);
  }

  /** The names of the labels any series has. */
  Set<String> allLabelNames() {
    return series.values().stream().flatMap(l -> l.keySet().stream()).collect(Collectors.toSet());
  }
}
