package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.ALERTS;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The Grafana dashboard's panels and the Prometheus rules, and the PromQL expressions they hold, by where they are. */
final class Monitoring {

  private Monitoring() {
  }

  /** The dashboard's panels, those nested in collapsed rows included. */
  static List<JsonObject> panels(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      out.add(panel);
      for (Object nested : panel.getJsonArray("panels", new JsonArray())) {
        out.add((JsonObject) nested);
      }
    }
    return out;
  }

  /** The queries of the panels and of the query variables, by "dashboard panel 'title'" or "dashboard variable $name". */
  static Map<String, List<String>> dashboardExpressions(JsonObject dashboard) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (JsonObject panel : panels(dashboard)) {
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) t).getString("expr");
        if (expr != null) {
          out.computeIfAbsent("dashboard panel '" + panel.getString("title") + "'", k -> new ArrayList<>()).add(expr);
        }
      }
    }
    for (Object v : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject var = (JsonObject) v;
      if ("query".equals(var.getString("type"))) {
        Object query = var.getValue("query");
        String text = query instanceof JsonObject o ? o.getString("query") : String.valueOf(query);
        out.computeIfAbsent("dashboard variable $" + var.getString("name"), k -> new ArrayList<>()).add(text);
      }
    }
    return out;
  }

  /** Every rule of every group of alerts.yml, alerting and recording. */
  static List<Map<String, Object>> alertRules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : list(Artifacts.yaml(ALERTS).get("groups"))) {
      for (Object rule : list(map(group).get("rules"))) {
        rules.add(map(rule));
      }
    }
    return rules;
  }

  /** The rules' expressions, by "alert name" (a recording rule by its record name). */
  static Map<String, List<String>> alertExpressions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map<String, Object> rule : alertRules()) {
      String name = str(rule.get("alert")) != null ? str(rule.get("alert")) : str(rule.get("record"));
      out.computeIfAbsent("alert " + name, k -> new ArrayList<>()).add(str(rule.get("expr")));
    }
    return out;
  }
}
