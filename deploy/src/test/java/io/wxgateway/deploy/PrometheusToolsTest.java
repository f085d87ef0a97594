package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.ALERTS;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules checked and unit-tested by the real promtool, and a real Prometheus that scrapes
 * a running node and answers queries on its meters (Debian package "prometheus").
 */
class PrometheusToolsTest {

  static final Path ALERT_TESTS = Artifacts.DEPLOY.resolve("prometheus/alerts.test.yml");
  static final Path LOCAL_CONFIG = Artifacts.DEPLOY.resolve("prometheus/local.yml");

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path work;

  @Test
  void promtoolAcceptsTheAlertRules() throws Exception {
    ExternalTool.Run run = ExternalTool.require("promtool", "prometheus")
        .run(work, 60, "check", "rules", ALERTS.toString());
    assertEquals(0, run.exitCode(), run.output());
    assertTrue(run.output().contains("SUCCESS: " + alertNames().size() + " rules found"), run.output());
  }

  @Test
  void everyAlertFiresAndStaysQuietInPromtoolsUnitTests() throws Exception {
    ExternalTool.Run run = ExternalTool.require("promtool", "prometheus")
        .run(work, 120, "test", "rules", ALERT_TESTS.toString());
    assertEquals(0, run.exitCode(), run.output());
    Map<String, Set<String>> cases = unitTestCasesByAlert();
    assertEquals(alertNames(), cases.keySet(), "every alert has unit tests, and only real alerts do");
    cases.forEach((alert, kinds) -> assertEquals(Set.of("fires", "quiet"), kinds,
        alert + " has a case where it fires and one where it stays quiet"));
  }

  @Test
  void aRealPrometheusScrapesARunningNodeAndEvaluatesEveryAlertOnIt() throws Exception {
    ExternalTool prometheus = ExternalTool.require("prometheus", "prometheus");
    try (TestNode node = TestNode.start(TestEnv.singleNode().with("WXGW_DEMO_ECHO", "true"))) {
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> node.get("/health/ready").statusCode() == 200);
      int opened = 3;
      for (int i = 0; i < opened; i++) {
        try (TestSocket socket = node.connect("/ws")) {
          socket.sendText("scraped " + i);
          assertEquals("scraped " + i, socket.next().asText());
        }
      }
      int port = TestEnv.freePort();
      Files.writeString(work.resolve("prometheus.yml"), scrapeConfig(node.runtime().managementPort()));
      Process server = prometheus.start(work, work.resolve("prometheus.log"), "--config.file=prometheus.yml",
          "--storage.tsdb.path=data", "--web.listen-address=127.0.0.1:" + port);
      try {
        Awaitility.await("Prometheus scraped the node's sockets counter").atMost(90, TimeUnit.SECONDS)
            .ignoreExceptions().until(() -> value(port, "sum(wx_sockets_opened_total{job=\"wx-gateway\"})") == opened);
        assertEquals(1.0, value(port, "up{job=\"wx-gateway\", role=\"gateway,bridge\"}"),
            "the target is up with the role label the alerts select on");
        // An evaluation before the first scrape sees no target at all, and the "no node up" alerts
        // rightly go pending; once the scrape is in, the next evaluations (every second) clear them.
        Awaitility.await("every alert evaluated, healthy and quiet").atMost(60, TimeUnit.SECONDS)
            .ignoreExceptions().untilAsserted(() -> {
              Map<String, String> states = evaluatedAlerts(port);
              assertEquals(alertNames(), states.keySet(), "every alert evaluated");
              states.forEach((alert, state) -> assertEquals("ok inactive", state,
                  alert + " evaluates without error against a real node, and a healthy node pages nobody"));
            });
      } finally {
        server.destroy();
        server.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  /** The shipped deploy/prometheus/local.yml, pointed at this node, faster, and with the rules' absolute path. */
  private static String scrapeConfig(int managementPort) throws java.io.IOException {
    String local = Files.readString(LOCAL_CONFIG);
    String config = local.replace("\"127.0.0.1:9090\"", "\"127.0.0.1:" + managementPort + "\"")
        .replace("- alerts.yml", "- \"" + ALERTS + "\"").replace(": 5s", ": 1s");
    assertTrue(!config.equals(local) && config.contains(Integer.toString(managementPort)) && config.contains(ALERTS.toString()),
        "local.yml still has the target 127.0.0.1:9090 and the rule file alerts.yml: " + local);
    return config;
  }

  private static double value(int port, String query) throws Exception {
    JsonArray result = api(port, "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
        .getJsonObject("data").getJsonArray("result");
    assertEquals(1, result.size(), query + " has one series: " + result);
    return Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  /** Alert name to "health state" for the rules Prometheus has evaluated at least once. */
  private static Map<String, String> evaluatedAlerts(int port) throws Exception {
    Map<String, String> states = new TreeMap<>();
    for (Object group : api(port, "/api/v1/rules").getJsonObject("data").getJsonArray("groups")) {
      for (Object rule : ((JsonObject) group).getJsonArray("rules")) {
        JsonObject r = (JsonObject) rule;
        if (!r.getString("lastEvaluation", "0001").startsWith("0001")) {
          states.put(r.getString("name"), r.getString("health") + " " + r.getString("state"));
        }
      }
    }
    return states;
  }

  private static JsonObject api(int port, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static Set<String> alertNames() {
    return Monitoring.alertRules().stream().map(rule -> str(rule.get("alert"))).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Alert name to the kinds of case its unit tests have: "fires" (an alert expected) and "quiet". */
  private static Map<String, Set<String>> unitTestCasesByAlert() {
    Map<String, Set<String>> cases = new TreeMap<>();
    for (Object test : list(Artifacts.yaml(ALERT_TESTS).get("tests"))) {
      for (Object check : list(map(test).get("alert_rule_test"))) {
        String kind = list(map(check).get("exp_alerts")).isEmpty() ? "quiet" : "fires";
        cases.computeIfAbsent(str(map(check).get("alertname")), k -> new TreeSet<>()).add(kind);
      }
    }
    return cases;
  }
}
