package io.wxgateway.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.wxgateway.deploy.PromQl.LabelMatcher;
import io.wxgateway.deploy.PromQl.Query;

/**
 * Checks PromQL expressions against a real {@link Scrape}: every metric they query is exposed, every
 * label they group by is on some series, and every label they match is on that metric, with the
 * literal values they expect. What is wrong goes to {@link #problems()}, naming where the expression is.
 */
final class QueryChecker {

  /** Series Prometheus itself adds to every target; everything else must come from a scrape. */
  private static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");
  /** Labels Prometheus attaches to every series of a target (job and instance; role by our scrape configs). */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "role");
  private static final Pattern LITERAL_ALTERNATION = Pattern.compile("[A-Za-z0-9_\\-]+(\\|[A-Za-z0-9_\\-]+)*");

  private final Scrape scrape;
  private final List<String> problems = new ArrayList<>();

  QueryChecker(Scrape scrape) {
    this.scrape = scrape;
  }

  List<String> problems() {
    return problems;
  }

  /** Checks one expression; returns the metric names it queries. */
  Set<String> check(String where, String expr) {
    Query q = PromQl.parse(expr);
    for (String name : q.metrics()) {
      if (!scrape.has(name) && !PROMETHEUS_SYNTHETIC.contains(name)) {
        problems.add(where + ": metric " + name + " is not exposed by a node (expr: " + expr + ")");
      }
    }
    Set<String> allLabels = scrape.allLabelNames();
    for (String label : q.groupingLabels()) {
      if (!allLabels.contains(label) && !TARGET_LABELS.contains(label)) {
        problems.add(where + ": grouping label '" + label + "' is on no exposed series (expr: " + expr + ")");
      }
    }
    for (LabelMatcher m : q.matchers()) {
      check(where, m);
    }
    return q.metrics();
  }

  private void check(String where, LabelMatcher m) {
    if (m.label().equals("__name__")) {
      if (m.op().equals("=~") && scrape.names().stream().noneMatch(n -> n.matches(m.value()))) {
        problems.add(where + ": no exposed metric matches __name__=~\"" + m.value() + "\"");
      }
      return;
    }
    if (m.metric() == null || TARGET_LABELS.contains(m.label()) || m.value().contains("$") || !scrape.has(m.metric())) {
      return;
    }
    Set<String> values = scrape.labelsOf(m.metric()).get(m.label());
    if (values == null) {
      problems.add(where + ": " + m.metric() + " has no label '" + m.label() + "' (labels: "
          + scrape.labelsOf(m.metric()).keySet() + ")");
      return;
    }
    boolean exact = m.op().equals("=") || m.op().equals("!=");
    if (exact || LITERAL_ALTERNATION.matcher(m.value()).matches()) {
      for (String alternative : exact ? List.of(m.value()) : List.of(m.value().split("\\|"))) {
        if (!values.contains(alternative)) {
          problems.add(where + ": " + m.metric() + "{" + m.label() + "} never has the value '" + alternative
              + "' (values: " + values + ")");
        }
      }
    }
  }
}
