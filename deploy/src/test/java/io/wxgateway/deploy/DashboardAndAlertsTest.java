package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.assertNoProblems;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules: well formed, and every metric, label and
 * label value they query checked against what a real node exposes (the one class of this module
 * that starts a node for a scrape: see {@link Scrape#ofARealNodeWithTraffic()}).
 */
class DashboardAndAlertsTest {

  private static Scrape scrape;

  @BeforeAll
  static void scrapeARealNode() throws Exception {
    scrape = Scrape.ofARealNodeWithTraffic();
  }

  @Test
  void everyMetricTheDashboardAndTheAlertsQueryIsExposedByARealNode() throws IOException {
    QueryChecker checker = new QueryChecker(scrape);
    Set<String> dashboardNames = checkAll(checker, Monitoring.dashboardExpressions(Artifacts.dashboard()));
    Set<String> alertNames = checkAll(checker, Monitoring.alertExpressions());
    System.out.println("[DashboardAndAlertsTest] dashboard metrics: " + dashboardNames);
    System.out.println("[DashboardAndAlertsTest] alert metrics: " + alertNames);

    assertTrue(dashboardNames.size() >= 10, "the extraction found the dashboard's metrics: " + dashboardNames);
    assertTrue(alertNames.size() >= 5, "the extraction found the alerts' metrics: " + alertNames);
    assertTrue(dashboardNames.stream().anyMatch(n -> n.startsWith("jvm_")), "the dashboard charts the JVM");

    // Every application meter a node exposes has a panel, so a new meter cannot go unnoticed.
    List<String> problems = checker.problems();
    Set<String> charted = dashboardNames.stream().map(PromQl::family).collect(Collectors.toSet());
    for (String exposed : scrape.names()) {
      if (exposed.startsWith("wx_") && !charted.contains(PromQl.family(exposed))) {
        problems.add("meter " + PromQl.family(exposed) + " is exposed (" + exposed + ") but no dashboard panel queries it");
      }
    }
    assertNoProblems(problems);
  }

  /** The check above can fail: a misspelled metric, an unknown label, a wrong label value are each reported. */
  @Test
  void theQueryCheckReportsAMisspelledMetricAnUnknownLabelAndAWrongLabelValue() {
    QueryChecker checker = new QueryChecker(scrape);
    checker.check("fine", "sum by (type) (rate(wx_messages_in_total{type=~\"text|binary\", job=~\"$job\"}[5m]))");
    assertEquals(List.of(), checker.problems(), "a correct query passes");

    checker.check("misspelled", "rate(wx_mesages_in_total[5m])");
    checker.check("unknown label", "wx_messages_in_total{flavour=\"text\"}");
    checker.check("wrong value", "wx_messages_in_total{type=\"txet\"}");
    checker.check("grouping", "sum by (flavour) (wx_messages_in_total)");
    List<String> problems = checker.problems();
    assertEquals(4, problems.size(), String.join("\n", problems));
    assertTrue(problems.get(0).startsWith("misspelled: metric wx_mesages_in_total is not exposed"), problems.get(0));
    assertTrue(problems.get(1).startsWith("unknown label: wx_messages_in_total has no label 'flavour'"), problems.get(1));
    assertTrue(problems.get(2).startsWith("wrong value: wx_messages_in_total{type} never has the value 'txet'"),
        problems.get(2));
    assertTrue(problems.get(3).startsWith("grouping: grouping label 'flavour' is on no exposed series"), problems.get(3));
  }

  private static Set<String> checkAll(QueryChecker checker, Map<String, List<String>> expressions) {
    Set<String> names = new TreeSet<>();
    expressions.forEach((where, exprs) -> exprs.forEach(e -> names.addAll(checker.check(where, e))));
    return names;
  }

  @Test
  void theDashboardIsTemplatedOnDatasourceAndNode() throws IOException {
    JsonObject dash = Artifacts.dashboard();
    assertEquals("wx-gateway", dash.getString("uid"));
    assertTrue(dash.getInteger("schemaVersion") >= 36, "a current schemaVersion");
    Map<String, JsonObject> vars = new LinkedHashMap<>();
    dash.getJsonObject("templating").getJsonArray("list")
        .forEach(v -> vars.put(((JsonObject) v).getString("name"), (JsonObject) v));
    assertEquals("datasource", vars.get("datasource").getString("type"), "a datasource variable");
    assertEquals("prometheus", vars.get("datasource").getString("query"));
    assertTrue(vars.containsKey("instance"), "a node (instance) variable");

    List<String> problems = new ArrayList<>();
    Set<Integer> ids = new TreeSet<>();
    for (JsonObject panel : Monitoring.panels(dash)) {
      if (!ids.add(panel.getInteger("id"))) {
        problems.add("duplicate panel id " + panel.getInteger("id"));
      }
      if (!"row".equals(panel.getString("type"))) {
        checkPanel(panel, problems);
      }
    }
    assertTrue(ids.size() >= 20, "the dashboard has its panels");
    assertNoProblems(problems);
  }

  /** A chart: on the ${datasource}, with queries that all filter on the node ($instance), and described. */
  private static void checkPanel(JsonObject panel, List<String> problems) {
    String title = panel.getString("title");
    if (!"${datasource}".equals(panel.getJsonObject("datasource", new JsonObject()).getString("uid"))) {
      problems.add("panel '" + title + "' does not use the ${datasource} variable");
    }
    JsonArray targets = panel.getJsonArray("targets", new JsonArray());
    if (targets.isEmpty()) {
      problems.add("panel '" + title + "' has no query");
    }
    for (Object t : targets) {
      String expr = ((JsonObject) t).getString("expr", "");
      if (!expr.contains("$instance")) {
        problems.add("panel '" + title + "' ignores the node variable: " + expr);
      }
    }
    if (panel.getString("description", "").isBlank()) {
      problems.add("panel '" + title + "' has no description");
    }
  }

  @Test
  void everyAlertHasASeverityASummaryADescriptionAndADuration() {
    List<String> problems = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> rule : Monitoring.alertRules()) {
      String name = str(rule.get("alert"));
      if (name == null) {
        continue; // a recording rule
      }
      names.add(name);
      Map<String, Object> labels = map(rule.get("labels"));
      Map<String, Object> annotations = map(rule.get("annotations"));
      if (!Set.of("critical", "warning", "info").contains(str(labels.get("severity")))) {
        problems.add(name + ": severity must be critical, warning or info, was " + labels.get("severity"));
      }
      for (String key : List.of("summary", "description")) {
        if (str(annotations.get(key)) == null || str(annotations.get(key)).isBlank()) {
          problems.add(name + ": no " + key + " annotation");
        }
      }
      if (rule.get("for") == null) {
        problems.add(name + ": no 'for' (a single bad scrape would page)");
      }
    }
    assertTrue(names.size() >= 4, "the alert rules: " + names);
    assertTrue(names.stream().anyMatch(n -> n.contains("ConsumerLag")), "a consumer lag alert");
    assertTrue(names.stream().anyMatch(n -> n.contains("DeadLetter")), "a dead-letter alert");
    assertTrue(names.stream().anyMatch(n -> n.contains("Handshake")), "a handshake failure alert");
    assertTrue(names.stream().anyMatch(n -> n.contains("NoReady")), "a no-ready-nodes alert");
    assertNoProblems(problems);
  }
}
