package io.wxgateway.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL (and of Grafana's variable queries) to tell what an expression queries:
 * the metric names, the label matchers of each selector, and the labels it groups by.
 */
final class PromQl {

  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)");

  private PromQl() {
  }

  /** One label matcher of a selector; {@code metric} is null for a selector without a name ({__name__=~"..."}). */
  record LabelMatcher(String metric, String label, String op, String value) {
  }

  /** What an expression queries: metric names, label matchers per selector, grouping labels. */
  record Query(Set<String> metrics, List<LabelMatcher> matchers, Set<String> groupingLabels) {
  }

  static Query parse(String expression) {
    String expr = expression
        .replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h");
    // Grafana's label_values(selector, label) / label_values(label): keep only the selector.
    expr = expr.replaceAll("label_values\\(\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)", " ");
    expr = expr.replaceAll("label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", "$1");
    List<LabelMatcher> matchers = matchers(expr);
    expr = expr.replaceAll("\\{[^}]*\\}", "{}");
    expr = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    Set<String> grouping = new LinkedHashSet<>();
    expr = removeGroupings(expr, grouping);
    return new Query(metricNames(expr), matchers, grouping);
  }

  /** The family of a series: without the _total, _count, _sum, _max or _bucket its meter type adds. */
  static String family(String series) {
    return series.replaceAll("_(total|count|sum|max|bucket)$", "");
  }

  private static List<LabelMatcher> matchers(String expr) {
    List<LabelMatcher> matchers = new ArrayList<>();
    Matcher sel = SELECTOR.matcher(expr);
    while (sel.find()) {
      Matcher m = MATCHER.matcher(sel.group(2));
      while (m.find()) {
        matchers.add(new LabelMatcher(sel.group(1), m.group(1), m.group(2), m.group(3)));
      }
    }
    return matchers;
  }

  /** The expression without its by (...), on (...) etc. clauses, whose labels go to {@code grouping}. */
  private static String removeGroupings(String expr, Set<String> grouping) {
    Matcher g = GROUPING.matcher(expr);
    StringBuilder stripped = new StringBuilder();
    while (g.find()) {
      for (String label : g.group(2).split(",")) {
        if (!label.isBlank()) {
          grouping.add(label.trim());
        }
      }
      g.appendReplacement(stripped, " ");
    }
    g.appendTail(stripped);
    return stripped.toString();
  }

  /** The identifiers left that are neither function calls nor keywords. */
  private static Set<String> metricNames(String expr) {
    Set<String> metrics = new TreeSet<>();
    Matcher id = IDENTIFIER.matcher(expr);
    while (id.find()) {
      String token = id.group(1);
      int next = id.end();
      while (next < expr.length() && Character.isWhitespace(expr.charAt(next))) {
        next++;
      }
      boolean function = next < expr.length() && expr.charAt(next) == '(';
      if (!function && !KEYWORDS.contains(token.toLowerCase(Locale.ROOT))) {
        metrics.add(token);
      }
    }
    return metrics;
  }
}
