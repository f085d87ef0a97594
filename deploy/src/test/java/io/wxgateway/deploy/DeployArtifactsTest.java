package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Keeps the deploy artifacts honest without a container engine (none runs on the CI machines):
 * the Dockerfile, the compose stack, the Kubernetes manifests, the Grafana dashboard and the
 * Prometheus alert rules are parsed and checked against the repository, the configuration keys the
 * launcher really reads, and the metric names a real node really exposes (this test starts one, in
 * process, against the test broker, and scrapes it).
 */
class DeployArtifactsTest {

  /** The test runs in deploy/: the repository root is its parent. */
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = REPO.resolve("deploy");
  private static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
  private static final Path COMPOSE = DEPLOY.resolve("compose/docker-compose.yml");
  private static final Path K8S = DEPLOY.resolve("k8s");
  private static final Path DASHBOARD = DEPLOY.resolve("grafana/wx-gateway-dashboard.json");
  private static final Path ALERTS = DEPLOY.resolve("prometheus/alerts.yml");

  /** Series Prometheus itself adds to every target; everything else must come from a scrape. */
  private static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");
  /** Labels Prometheus attaches to every series of a target (job and instance; role by our scrape configs). */
  private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "role");
  private static final Set<String> PROMQL_KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on",
      "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2");

  /**
   * Settings the manifests already use for features the launcher does not read yet (roles,
   * clustering, drain, admin API). Each is accepted only while its section (the first word after
   * WXGW_) is unknown to the launcher; once the section exists, the name must be a real setting.
   */
  private static final Set<String> COMING_SOON = Set.of("WXGW_NODE_ROLES", "WXGW_CLUSTER_MEMBERS",
      "WXGW_CLUSTER_KUBERNETES_SERVICE", "WXGW_CLUSTER_EVENT_BUS_PORT", "WXGW_DRAIN_WINDOW_MS",
      "WXGW_DRAIN_DEADLINE_MS", "WXGW_ADMIN_TOKEN");
  /** Read by logback.xml, not by the launcher. */
  private static final Set<String> OTHER_WXGW_VARIABLES = Set.of("WXGW_LOG_LEVEL");

  private static final Pattern SERIES_LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s");
  private static final Pattern LABEL_PAIR = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{([^}]*)\\}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![a-zA-Z0-9_:.$])([a-zA-Z_:][a-zA-Z0-9_:]*)");
  private static final Pattern LITERAL_ALTERNATION = Pattern.compile("[A-Za-z0-9_\\-]+(\\|[A-Za-z0-9_\\-]+)*");

  private static WxRuntime runtime;
  private static Vertx clients;
  /** Series name -> label name -> values, from a real scrape. */
  private static final Map<String, Map<String, Set<String>>> SCRAPED = new TreeMap<>();

  @BeforeAll
  static void startANodeAndScrapeIt() throws Exception {
    int port = freePort();
    Map<String, String> env = Map.of(
        "WXGW_KAFKA_BOOTSTRAP_SERVERS", KafkaTestBroker.bootstrapServers(),
        "WXGW_KAFKA_INBOUND_TOPIC", KafkaTestBroker.uniqueTopic("in"),
        "WXGW_KAFKA_OUTBOUND_TOPIC", KafkaTestBroker.uniqueTopic("out"),
        "WXGW_KAFKA_DEAD_LETTER_TOPIC", KafkaTestBroker.uniqueTopic("dlq"),
        "WXGW_GATEWAY_HOST", "127.0.0.1",
        "WXGW_GATEWAY_PORT", Integer.toString(port),
        "WXGW_MANAGEMENT_PORT", "0",
        "WXGW_BRIDGE_GROUP_ID", KafkaTestBroker.uniqueTopic("bridge"),
        "WXGW_DEMO_ECHO", "true");
    runtime = WxRuntime.start(ConfigLoader.load(null, env));
    clients = Vertx.vertx();
    HttpClient http = HttpClient.newHttpClient();
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> get(http, "/health/ready").statusCode() == 200);

    // Traffic, so that counters and timers have values: text, binary and heartbeat, echoed through Kafka.
    TestSocket socket = TestSocket.connect(clients, port, "/ws");
    for (int i = 0; i < 5; i++) {
      socket.sendText("metrics " + i);
      assertEquals("metrics " + i, socket.next().asText());
    }
    socket.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
    assertFalse(socket.next().text());
    socket.sendText("ping");
    assertEquals("pong", socket.next().asText());
    socket.close();

    String body = get(http, "/metrics").body();
    for (String line : body.split("\n")) {
      Matcher m = SERIES_LINE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Map<String, Set<String>> labels = SCRAPED.computeIfAbsent(m.group(1), k -> new TreeMap<>());
      if (m.group(3) != null) {
        Matcher pair = LABEL_PAIR.matcher(m.group(3));
        while (pair.find()) {
          labels.computeIfAbsent(pair.group(1), k -> new TreeSet<>()).add(pair.group(2));
        }
      }
    }
    assertTrue(SCRAPED.keySet().stream().filter(n -> n.startsWith("wx_")).count() >= 10,
        "the scrape has the application's meters: " + SCRAPED.keySet());
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      clients.close().await();
    }
    if (runtime != null) {
      runtime.stop();
    }
  }

  // ------------------------------------------------------------------ parsing

  @Test
  void everyYamlAndJsonArtifactParses() throws IOException {
    List<Path> yamls = new ArrayList<>();
    for (Path dir : List.of(DEPLOY.resolve("compose"), K8S, DEPLOY.resolve("prometheus"))) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).forEach(yamls::add);
      }
    }
    assertTrue(yamls.size() >= 10, "found the YAML artifacts: " + yamls);
    for (Path yaml : yamls) {
      List<Object> docs = yamlDocuments(yaml);
      assertFalse(docs.isEmpty(), yaml + " has a document");
    }
    try (Stream<Path> files = Files.walk(DEPLOY.resolve("grafana"))) {
      List<Path> jsons = files.filter(p -> p.toString().endsWith(".json")).toList();
      assertFalse(jsons.isEmpty());
      for (Path json : jsons) {
        assertNotNull(new JsonObject(Files.readString(json)), json.toString());
      }
    }
  }

  // ------------------------------------------------------------------ metrics

  @Test
  void everyMetricTheDashboardAndTheAlertsQueryIsExposedByARealNode() throws IOException {
    Map<String, List<String>> dashboardExprs = dashboardExpressions();
    Map<String, List<String>> alertExprs = alertExpressions();
    Set<String> dashboardNames = new TreeSet<>();
    Set<String> alertNames = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    dashboardExprs.forEach((where, exprs) -> exprs.forEach(e -> dashboardNames.addAll(check(where, e, problems))));
    alertExprs.forEach((where, exprs) -> exprs.forEach(e -> alertNames.addAll(check(where, e, problems))));
    System.out.println("[DeployArtifactsTest] dashboard metrics: " + dashboardNames);
    System.out.println("[DeployArtifactsTest] alert metrics: " + alertNames);

    assertTrue(dashboardNames.size() >= 10, "the extraction found the dashboard's metrics: " + dashboardNames);
    assertTrue(alertNames.size() >= 5, "the extraction found the alerts' metrics: " + alertNames);
    assertTrue(dashboardNames.stream().anyMatch(n -> n.startsWith("jvm_")), "the dashboard charts the JVM");

    // Every application meter a node exposes has a panel, so a new meter cannot go unnoticed.
    Set<String> charted = dashboardNames.stream().map(DeployArtifactsTest::family).collect(Collectors.toSet());
    for (String exposed : SCRAPED.keySet()) {
      if (exposed.startsWith("wx_") && !charted.contains(family(exposed))) {
        problems.add("meter " + family(exposed) + " is exposed (" + exposed + ") but no dashboard panel queries it");
      }
    }
    assertNoProblems(problems);
  }

  /** Checks one PromQL expression; returns the metric names it queries. */
  private static Set<String> check(String where, String expr, List<String> problems) {
    ParsedQuery q = parse(expr);
    for (String name : q.metrics) {
      if (!SCRAPED.containsKey(name) && !PROMETHEUS_SYNTHETIC.contains(name)) {
        problems.add(where + ": metric " + name + " is not exposed by a node (expr: " + expr + ")");
      }
    }
    Set<String> allLabels = SCRAPED.values().stream().flatMap(l -> l.keySet().stream()).collect(Collectors.toSet());
    for (String label : q.groupingLabels) {
      if (!allLabels.contains(label) && !TARGET_LABELS.contains(label)) {
        problems.add(where + ": grouping label '" + label + "' is on no exposed series (expr: " + expr + ")");
      }
    }
    for (String[] m : q.matchers) { // metric, label, op, value
      String metric = m[0];
      String label = m[1];
      String op = m[2];
      String value = m[3];
      if (label.equals("__name__")) {
        if (op.equals("=~") && SCRAPED.keySet().stream().noneMatch(n -> n.matches(value))) {
          problems.add(where + ": no exposed metric matches __name__=~\"" + value + "\"");
        }
        continue;
      }
      if (metric == null || TARGET_LABELS.contains(label) || value.contains("$") || !SCRAPED.containsKey(metric)) {
        continue;
      }
      Set<String> values = SCRAPED.get(metric).get(label);
      if (values == null) {
        problems.add(where + ": " + metric + " has no label '" + label + "' (labels: " + SCRAPED.get(metric).keySet() + ")");
        continue;
      }
      boolean literal = op.equals("=") || op.equals("!=") || LITERAL_ALTERNATION.matcher(value).matches();
      if (literal) {
        for (String alternative : (op.equals("=") || op.equals("!=")) ? List.of(value) : List.of(value.split("\\|"))) {
          if (!values.contains(alternative)) {
            problems.add(where + ": " + metric + "{" + label + "} never has the value '" + alternative
                + "' (values: " + values + ")");
          }
        }
      }
    }
    return q.metrics;
  }

  /** What an expression queries: metric names, label matchers per selector, grouping labels. */
  record ParsedQuery(Set<String> metrics, List<String[]> matchers, Set<String> groupingLabels) {
  }

  static ParsedQuery parse(String expression) {
    String expr = expression
        .replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h");
    // Grafana's label_values(selector, label) / label_values(label): keep only the selector.
    expr = expr.replaceAll("label_values\\(\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\)", " ");
    expr = expr.replaceAll("label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)", "$1");
    List<String[]> matchers = new ArrayList<>();
    Matcher sel = SELECTOR.matcher(expr);
    while (sel.find()) {
      Matcher m = MATCHER.matcher(sel.group(2));
      while (m.find()) {
        matchers.add(new String[] {sel.group(1), m.group(1), m.group(2), m.group(3)});
      }
    }
    expr = expr.replaceAll("\\{[^}]*\\}", "{}");
    expr = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
    Set<String> grouping = new LinkedHashSet<>();
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
    expr = stripped.toString();
    Set<String> metrics = new TreeSet<>();
    Matcher id = IDENTIFIER.matcher(expr);
    while (id.find()) {
      String token = id.group(1);
      int next = id.end();
      while (next < expr.length() && Character.isWhitespace(expr.charAt(next))) {
        next++;
      }
      boolean function = next < expr.length() && expr.charAt(next) == '(';
      if (!function && !PROMQL_KEYWORDS.contains(token.toLowerCase(Locale.ROOT))) {
        metrics.add(token);
      }
    }
    return new ParsedQuery(metrics, matchers, grouping);
  }

  @Test
  void theExtractionFindsMetricsAndIgnoresFunctionsLabelsAndDurations() {
    ParsedQuery q = parse("sum by (code, initiator) (rate(wx_sockets_closed_total{job=~\"$job\", code=\"1000\"}"
        + "[$__rate_interval])) / ignoring(code) group_left sum(rate(wx_x_total[5m] offset 1m)) > bool 0.5 "
        + "and deriv(max(wx_lag)[10m:1m]) > 1e-3 or up");
    assertEquals(Set.of("wx_sockets_closed_total", "wx_x_total", "wx_lag", "up"), q.metrics());
    assertEquals(Set.of("code", "initiator"), q.groupingLabels());
    assertEquals(2, q.matchers().size());
    assertEquals(Set.of("wx_y"), parse("label_values(wx_y{job=\"a\"}, instance)").metrics());
    assertEquals(Set.of(), parse("label_values(instance)").metrics());
  }

  private static String family(String series) {
    return series.replaceAll("_(total|count|sum|max|bucket)$", "");
  }

  // ------------------------------------------------------------------ dashboard

  @Test
  void theDashboardIsTemplatedOnDatasourceAndNode() throws IOException {
    JsonObject dash = new JsonObject(Files.readString(DASHBOARD));
    List<String> problems = new ArrayList<>();
    assertEquals("wx-gateway", dash.getString("uid"));
    assertTrue(dash.getInteger("schemaVersion") >= 36, "a current schemaVersion");
    Map<String, JsonObject> vars = new LinkedHashMap<>();
    dash.getJsonObject("templating").getJsonArray("list").forEach(v -> vars.put(((JsonObject) v).getString("name"),
        (JsonObject) v));
    assertEquals("datasource", vars.get("datasource").getString("type"), "a datasource variable");
    assertEquals("prometheus", vars.get("datasource").getString("query"));
    assertTrue(vars.containsKey("instance"), "a node (instance) variable");
    Set<Integer> ids = new TreeSet<>();
    for (JsonObject panel : allPanels(dash)) {
      if (!ids.add(panel.getInteger("id"))) {
        problems.add("duplicate panel id " + panel.getInteger("id"));
      }
      if ("row".equals(panel.getString("type"))) {
        continue;
      }
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
    assertTrue(ids.size() >= 20, "the dashboard has its panels");
    assertNoProblems(problems);
  }

  private static List<JsonObject> allPanels(JsonObject dash) {
    List<JsonObject> out = new ArrayList<>();
    for (Object p : dash.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      out.add(panel);
      for (Object nested : panel.getJsonArray("panels", new JsonArray())) {
        out.add((JsonObject) nested);
      }
    }
    return out;
  }

  private static Map<String, List<String>> dashboardExpressions() throws IOException {
    JsonObject dash = new JsonObject(Files.readString(DASHBOARD));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (JsonObject panel : allPanels(dash)) {
      for (Object t : panel.getJsonArray("targets", new JsonArray())) {
        String expr = ((JsonObject) t).getString("expr");
        if (expr != null) {
          out.computeIfAbsent("dashboard panel '" + panel.getString("title") + "'", k -> new ArrayList<>()).add(expr);
        }
      }
    }
    for (Object v : dash.getJsonObject("templating").getJsonArray("list")) {
      JsonObject var = (JsonObject) v;
      if ("query".equals(var.getString("type"))) {
        Object query = var.getValue("query");
        String text = query instanceof JsonObject o ? o.getString("query") : String.valueOf(query);
        out.computeIfAbsent("dashboard variable $" + var.getString("name"), k -> new ArrayList<>()).add(text);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ alerts

  @Test
  void everyAlertHasASeverityASummaryADescriptionAndADuration() {
    List<String> problems = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (Map<String, Object> rule : alertRules()) {
      String name = str(rule.get("alert"));
      if (name == null) {
        continue;
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

  private static List<Map<String, Object>> alertRules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Object group : list(map(yamlDocuments(ALERTS).get(0)).get("groups"))) {
      for (Object rule : list(map(group).get("rules"))) {
        rules.add(map(rule));
      }
    }
    return rules;
  }

  private static Map<String, List<String>> alertExpressions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map<String, Object> rule : alertRules()) {
      String name = str(rule.get("alert")) != null ? str(rule.get("alert")) : str(rule.get("record"));
      out.computeIfAbsent("alert " + name, k -> new ArrayList<>()).add(str(rule.get("expr")));
    }
    return out;
  }

  // ------------------------------------------------------------------ Dockerfile

  record Instruction(String keyword, String args) {
  }

  static List<List<Instruction>> dockerStages() throws IOException {
    List<List<Instruction>> stages = new ArrayList<>();
    StringBuilder logical = new StringBuilder();
    List<String> lines = new ArrayList<>();
    for (String raw : Files.readAllLines(DOCKERFILE)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && logical.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      lines.add(logical.toString().strip());
      logical.setLength(0);
    }
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      Instruction ins = new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1].strip() : "");
      if (ins.keyword().equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      assertFalse(stages.isEmpty(), "the Dockerfile starts with FROM: " + line);
      stages.get(stages.size() - 1).add(ins);
    }
    return stages;
  }

  private static List<Instruction> all(List<Instruction> stage, String keyword) {
    return stage.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  @Test
  void theDockerfileBuildsWithMavenAndRunsTheDistributionAsANonRootUserWithAHealthCheck() throws IOException {
    List<List<Instruction>> stages = dockerStages();
    assertEquals(2, stages.size(), "a build stage and a runtime stage");
    List<Instruction> build = stages.get(0);
    List<Instruction> runtimeStage = stages.get(1);

    assertTrue(build.get(0).args().matches("(?i)maven:3\\.9-eclipse-temurin-17\\s+AS\\s+build"), build.get(0).args());
    assertTrue(runtimeStage.get(0).args().startsWith("eclipse-temurin:17-jre"), runtimeStage.get(0).args());
    assertTrue(all(build, "RUN").stream().anyMatch(r -> r.args().startsWith("mvn ") && r.args().contains("-DskipTests")
        && r.args().matches(".*\\bpackage\\b.*")), "the build stage runs mvn -DskipTests package");

    List<Instruction> users = all(runtimeStage, "USER");
    assertFalse(users.isEmpty(), "the runtime stage sets a USER");
    String user = users.get(users.size() - 1).args().split(":")[0];
    assertTrue(user.matches("\\d+") && Integer.parseInt(user) > 0, "a fixed, numeric, non-root uid: " + user);

    List<Instruction> health = all(runtimeStage, "HEALTHCHECK");
    assertEquals(1, health.size(), "one HEALTHCHECK");
    assertTrue(health.get(0).args().contains(" CMD ") && health.get(0).args().contains("/health/live"),
        health.get(0).args());

    List<Instruction> entry = all(runtimeStage, "ENTRYPOINT");
    assertEquals(1, entry.size());
    assertEquals("/opt/wx-gateway/bin/wx-gateway", new JsonArray(entry.get(0).args()).getString(0),
        "exec form, so the JVM is PID 1 and gets SIGTERM");

    Set<String> exposed = all(runtimeStage, "EXPOSE").stream()
        .flatMap(e -> Stream.of(e.args().split("\\s+"))).collect(Collectors.toSet());
    assertTrue(exposed.containsAll(Set.of("8080", "9090")), "EXPOSE 8080 9090: " + exposed);
    assertTrue(all(runtimeStage, "ENV").stream().anyMatch(e -> e.args().contains("MaxRAMPercentage")),
        "a container-aware heap");

    // The distribution the runtime copies is the one mvn package makes.
    List<Instruction> fromBuild = all(runtimeStage, "COPY").stream().filter(c -> c.args().startsWith("--from=build"))
        .toList();
    assertEquals(1, fromBuild.size());
    String[] copy = fromBuild.get(0).args().split("\\s+");
    String workdir = all(build, "WORKDIR").get(0).args();
    assertEquals(workdir.replaceAll("/$", "") + "/deploy/target/wx-gateway", copy[1]);
    assertEquals("/opt/wx-gateway", copy[2]);
    String deployPom = Files.readString(DEPLOY.resolve("pom.xml"));
    assertTrue(deployPom.contains("${project.build.directory}/wx-gateway/lib"), "deploy/pom.xml builds target/wx-gateway/lib");
    assertTrue(deployPom.contains("src/main/dist"), "deploy/pom.xml copies src/main/dist into target/wx-gateway");
    assertTrue(Files.exists(DEPLOY.resolve("src/main/dist/bin/wx-gateway")), "the bin script the ENTRYPOINT runs");
  }

  @Test
  void everyPathTheDockerfileCopiesFromTheContextExistsAndIsNotDockerignored() throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> sources = new TreeSet<>();
    for (List<Instruction> stage : dockerStages()) {
      for (Instruction copy : all(stage, "COPY")) {
        if (copy.args().startsWith("--from")) {
          continue;
        }
        List<String> args = Stream.of(copy.args().split("\\s+")).filter(a -> !a.startsWith("--")).toList();
        for (String source : args.subList(0, args.size() - 1)) {
          sources.add(source);
          if (!Files.exists(REPO.resolve(source))) {
            problems.add("COPY " + source + ": no such path in the repository");
          }
          if (dockerignored(source)) {
            problems.add("COPY " + source + ": excluded by .dockerignore");
          }
        }
      }
    }
    // The reactor in the build stage needs every module's pom, and the sources of every module with code.
    String rootPom = Files.readString(REPO.resolve("pom.xml"));
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
    int modules = 0;
    while (module.find()) {
      modules++;
      String name = module.group(1).trim();
      if (!sources.contains(name + "/pom.xml")) {
        problems.add("module " + name + ": the Dockerfile does not COPY " + name + "/pom.xml");
      }
      boolean pomPackaging = Files.readString(REPO.resolve(name + "/pom.xml")).contains("<packaging>pom</packaging>");
      if (!pomPackaging && !sources.contains(name + "/src")) {
        problems.add("module " + name + ": the Dockerfile does not COPY " + name + "/src");
      }
    }
    assertTrue(modules >= 5, "read the modules of the root pom");
    // client/ is copied as a pom only: that is right only while npm runs after the package phase.
    String clientPom = Files.readString(REPO.resolve("client/pom.xml"));
    Matcher phase = Pattern.compile("<phase>([^<]+)</phase>").matcher(clientPom);
    while (phase.find()) {
      if (!Set.of("pre-integration-test", "integration-test", "post-integration-test", "verify")
          .contains(phase.group(1).trim())) {
        problems.add("client/pom.xml binds npm to phase " + phase.group(1) + ": mvn package in the image would need Node");
      }
    }
    assertNoProblems(problems);
  }

  private static int dockerUid() throws IOException {
    List<List<Instruction>> stages = dockerStages();
    List<Instruction> users = all(stages.get(stages.size() - 1), "USER");
    return Integer.parseInt(users.get(users.size() - 1).args().split(":")[0]);
  }

  /** Docker's .dockerignore rules, enough for our patterns: *, ?, **, ! exceptions, last match wins. */
  private static boolean dockerignored(String path) throws IOException {
    Path ignoreFile = REPO.resolve(".dockerignore");
    if (!Files.exists(ignoreFile)) {
      return false;
    }
    String clean = path.replaceAll("^\\./", "").replaceAll("/$", "");
    boolean ignored = false;
    for (String raw : Files.readAllLines(ignoreFile)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exception = line.startsWith("!");
      String pattern = (exception ? line.substring(1) : line).replaceAll("^/", "").replaceAll("/$", "");
      Pattern regex = Pattern.compile(globToRegex(pattern));
      String candidate = clean;
      boolean matches = false;
      while (true) {
        if (regex.matcher(candidate).matches()) {
          matches = true;
          break;
        }
        int slash = candidate.lastIndexOf('/');
        if (slash < 0) {
          break;
        }
        candidate = candidate.substring(0, slash);
      }
      if (matches) {
        ignored = !exception;
      }
    }
    return ignored;
  }

  private static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(slash ? "(?:.*/)?" : ".*");
        i += slash ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  // ------------------------------------------------------------------ compose

  @Test
  void theComposeStackHasKafkaInKraftModeTwoGatewaysABridgePrometheusAndGrafana() {
    Map<String, Object> compose = map(yamlDocuments(COMPOSE).get(0));
    Map<String, Object> services = map(compose.get("services"));
    assertTrue(services.keySet().containsAll(Set.of("kafka", "gateway-1", "gateway-2", "bridge-1", "prometheus",
        "grafana")), "services: " + services.keySet());
    List<String> problems = new ArrayList<>();

    Map<String, String> kafkaEnv = environment(map(services.get("kafka")));
    assertTrue(kafkaEnv.getOrDefault("KAFKA_PROCESS_ROLES", "").matches("broker,controller|controller,broker"),
        "a single KRaft node: " + kafkaEnv.get("KAFKA_PROCESS_ROLES"));
    assertTrue(kafkaEnv.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "").contains("//kafka:9092"),
        "the broker advertises the address the nodes use");

    Map<String, String> roles = Map.of("gateway-1", "gateway", "gateway-2", "gateway", "bridge-1", "bridge");
    Set<String> hostPorts = new TreeSet<>();
    for (Map.Entry<String, Object> e : services.entrySet()) {
      for (Object port : list(map(e.getValue()).get("ports"))) {
        String hostPort = String.valueOf(port).split(":")[0];
        if (!hostPorts.add(hostPort)) {
          problems.add("host port " + hostPort + " is published twice");
        }
      }
    }
    for (Map.Entry<String, String> node : roles.entrySet()) {
      Map<String, Object> service = map(services.get(node.getKey()));
      Map<String, Object> build = map(service.get("build"));
      Path dockerfile = COMPOSE.getParent().resolve(str(build.get("context"))).resolve(str(build.get("dockerfile")))
          .normalize();
      if (!dockerfile.equals(DOCKERFILE)) {
        problems.add(node.getKey() + " builds " + dockerfile + ", not " + DOCKERFILE);
      }
      Map<String, String> env = environment(service);
      if (!"kafka:9092".equals(env.get("WXGW_KAFKA_BOOTSTRAP_SERVERS"))) {
        problems.add(node.getKey() + ": WXGW_KAFKA_BOOTSTRAP_SERVERS must be kafka:9092 (empty starts an embedded broker)");
      }
      if (!node.getValue().equals(env.get("WXGW_NODE_ROLES"))) {
        problems.add(node.getKey() + ": WXGW_NODE_ROLES must be " + node.getValue() + ", was " + env.get("WXGW_NODE_ROLES"));
      }
      String members = env.getOrDefault("WXGW_CLUSTER_MEMBERS", "");
      for (String other : roles.keySet()) {
        if (!members.contains(other)) {
          problems.add(node.getKey() + ": WXGW_CLUSTER_MEMBERS lacks " + other);
        }
      }
      long drainMs = Long.parseLong(env.getOrDefault("WXGW_DRAIN_WINDOW_MS", "10000"))
          + Long.parseLong(env.getOrDefault("WXGW_DRAIN_DEADLINE_MS", "30000"));
      long graceMs = durationMs(str(service.get("stop_grace_period")));
      if (graceMs <= drainMs) {
        problems.add(node.getKey() + ": stop_grace_period " + graceMs + " ms does not exceed the drain (" + drainMs + " ms)");
      }
      checkEnvironmentNames("compose " + node.getKey(), env.keySet(), problems);
    }
    assertEquals("true", environment(map(services.get("bridge-1"))).get("WXGW_DEMO_ECHO"),
        "the demo echo backend answers out of the box");
    for (Map.Entry<String, Object> e : services.entrySet()) {
      for (String[] mount : mounts(map(e.getValue()))) {
        if (mount[0].startsWith(".") && !Files.exists(COMPOSE.getParent().resolve(mount[0]))) {
          problems.add(e.getKey() + " mounts " + mount[0] + ", which does not exist");
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void composePrometheusScrapesEveryNodeAndLoadsTheAlertRules() {
    Map<String, Object> services = map(map(yamlDocuments(COMPOSE).get(0)).get("services"));
    Map<String, Object> prometheus = map(services.get("prometheus"));
    Map<String, Path> mounted = new LinkedHashMap<>();
    for (String[] mount : mounts(prometheus)) {
      mounted.put(mount[1], COMPOSE.getParent().resolve(mount[0]).normalize());
    }
    Path config = mounted.get("/etc/prometheus/prometheus.yml");
    assertNotNull(config, "prometheus.yml is mounted where Prometheus reads it");
    Map<String, Object> prom = map(yamlDocuments(config).get(0));

    String alertsTarget = mounted.entrySet().stream().filter(e -> e.getValue().equals(ALERTS)).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new AssertionError("deploy/prometheus/alerts.yml is mounted into Prometheus"));
    assertTrue(list(prom.get("rule_files")).stream().anyMatch(glob ->
            FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(alertsTarget))),
        "rule_files load " + alertsTarget);

    Map<String, Object> job = list(prom.get("scrape_configs")).stream().map(DeployArtifactsTest::map)
        .filter(j -> "wx-gateway".equals(j.get("job_name"))).findFirst()
        .orElseThrow(() -> new AssertionError("a scrape job named wx-gateway (the alerts select job=\"wx-gateway\")"));
    Map<String, String> targetRoles = new TreeMap<>();
    for (Object sc : list(job.get("static_configs"))) {
      String role = str(map(map(sc).get("labels")).get("role"));
      for (Object target : list(map(sc).get("targets"))) {
        targetRoles.put(String.valueOf(target), role);
      }
    }
    assertEquals(Map.of("gateway-1:9090", "gateway", "gateway-2:9090", "gateway", "bridge-1:9090", "bridge"),
        targetRoles, "every node's management port, with its role");
  }

  @Test
  void composeGrafanaProvisionsTheDashboardFileAndThePrometheusDatasource() throws IOException {
    Map<String, Object> services = map(map(yamlDocuments(COMPOSE).get(0)).get("services"));
    Map<String, Object> grafana = map(services.get("grafana"));
    Map<String, Path> mounted = new LinkedHashMap<>();
    for (String[] mount : mounts(grafana)) {
      mounted.put(mount[1], COMPOSE.getParent().resolve(mount[0]).normalize());
    }
    Path provisioning = mounted.get("/etc/grafana/provisioning");
    assertNotNull(provisioning, "the provisioning folder is mounted");

    List<String> providerPaths = new ArrayList<>();
    try (Stream<Path> files = Files.list(provisioning.resolve("dashboards"))) {
      for (Path file : files.toList()) {
        for (Object provider : list(map(yamlDocuments(file).get(0)).get("providers"))) {
          providerPaths.add(str(map(map(provider).get("options")).get("path")));
        }
      }
    }
    assertFalse(providerPaths.isEmpty(), "a dashboard provider");
    boolean provisioned = false;
    for (Map.Entry<String, Path> mount : mounted.entrySet()) {
      for (String providerPath : providerPaths) {
        if (mount.getKey().startsWith(providerPath + "/") && mount.getValue().equals(DASHBOARD)) {
          provisioned = true;
        }
      }
    }
    assertTrue(provisioned, "deploy/grafana/wx-gateway-dashboard.json is mounted into a provider's folder "
        + providerPaths + ": " + mounted);
    assertTrue(Files.exists(DASHBOARD));
    String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    if (home != null) {
      assertEquals(DASHBOARD, mounted.get(home), "the home dashboard is the mounted dashboard");
    }

    boolean datasource = false;
    try (Stream<Path> files = Files.list(provisioning.resolve("datasources"))) {
      for (Path file : files.toList()) {
        for (Object ds : list(map(yamlDocuments(file).get(0)).get("datasources"))) {
          datasource |= "prometheus".equals(map(ds).get("type"))
              && String.valueOf(map(ds).get("url")).startsWith("http://prometheus:9090");
        }
      }
    }
    assertTrue(datasource, "a Prometheus datasource pointing at the prometheus service");
  }

  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else {
      for (Object item : list(raw)) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return env;
  }

  /** {host path, container path} of the service's bind mounts (named volumes included as given). */
  private static List<String[]> mounts(Map<String, Object> service) {
    List<String[]> out = new ArrayList<>();
    for (Object volume : list(service.get("volumes"))) {
      if (volume instanceof Map<?, ?> m) {
        out.add(new String[] {String.valueOf(m.get("source")), String.valueOf(m.get("target"))});
      } else {
        String[] parts = String.valueOf(volume).split(":");
        out.add(new String[] {parts[0], parts[1]});
      }
    }
    return out;
  }

  private static long durationMs(String text) {
    assertNotNull(text, "a duration");
    Matcher m = Pattern.compile("(\\d+)(ms|h|m|s)").matcher(text);
    long total = 0;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total += switch (m.group(2)) {
        case "h" -> n * 3_600_000;
        case "m" -> n * 60_000;
        case "s" -> n * 1_000;
        default -> n;
      };
    }
    return total;
  }

  // ------------------------------------------------------------------ Kubernetes

  private static List<Map<String, Object>> k8sObjects() throws IOException {
    List<Map<String, Object>> objects = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : yamlDocuments(file)) {
          if (doc != null && !"Kustomization".equals(map(doc).get("kind"))) {
            Map<String, Object> object = new LinkedHashMap<>(map(doc));
            object.put("__file", file.getFileName().toString());
            objects.add(object);
          }
        }
      }
    }
    return objects;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  private static String name(Map<String, Object> object) {
    return str(map(object.get("metadata")).get("name"));
  }

  private static Map<String, Object> podTemplateLabels(Map<String, Object> workload) {
    return map(map(map(map(workload.get("spec")).get("template")).get("metadata")).get("labels"));
  }

  private static Map<String, Object> podSpec(Map<String, Object> workload) {
    return map(map(map(workload.get("spec")).get("template")).get("spec"));
  }

  private static Map<String, Object> workload(List<Map<String, Object>> objects, String component) {
    List<Map<String, Object>> found = objects.stream()
        .filter(o -> Set.of("StatefulSet", "Deployment").contains(str(o.get("kind"))))
        .filter(o -> component.equals(podTemplateLabels(o).get("app.kubernetes.io/component"))).toList();
    assertEquals(1, found.size(), "one " + component + " workload");
    return found.get(0);
  }

  private static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
  }

  @Test
  void theManifestsAreNamespaceAgnosticAndKustomizeListsAllButTheSecrets() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> o : k8sObjects()) {
      if (o.get("apiVersion") == null || o.get("kind") == null || name(o) == null) {
        problems.add(o.get("__file") + ": an object without apiVersion, kind or name");
      }
      if (map(o.get("metadata")).containsKey("namespace")) {
        problems.add(o.get("__file") + ": " + name(o) + " fixes a namespace");
      }
    }
    Map<String, Object> kustomization = map(yamlDocuments(K8S.resolve("kustomization.yaml")).get(0));
    Set<String> listed = list(kustomization.get("resources")).stream().map(String::valueOf).collect(Collectors.toSet());
    try (Stream<Path> files = Files.list(K8S)) {
      Set<String> manifests = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .filter(n -> !n.equals("kustomization.yaml") && !n.equals("secrets.yaml")).collect(Collectors.toSet());
      assertEquals(manifests, listed, "kustomization.yaml lists every manifest but secrets.yaml");
    }
    assertTrue(Files.readString(K8S.resolve("secrets.yaml")).contains("REPLACE-ME"), "the Secrets are marked placeholders");
    assertNoProblems(problems);
  }

  @Test
  void gatewaysDrainWithinTheirGracePeriodBehindAHeadlessServiceAPdbAndAnHpa() throws IOException {
    List<Map<String, Object>> objects = k8sObjects();
    Map<String, Object> gateway = workload(objects, "gateway");
    Map<String, Object> bridge = workload(objects, "bridge");
    Map<String, Object> gatewayPod = podSpec(gateway);
    Map<String, Object> container = map(list(gatewayPod.get("containers")).get(0));
    Map<String, String> env = literalEnv(container);

    long window = Long.parseLong(required(env, "WXGW_DRAIN_WINDOW_MS"));
    long deadline = Long.parseLong(required(env, "WXGW_DRAIN_DEADLINE_MS"));
    List<Object> preStop = list(map(map(map(map(container.get("lifecycle")).get("preStop")).get("exec"))).get("command"));
    assertEquals("sleep", String.valueOf(preStop.get(0)), "preStop sleeps so that endpoints drop before SIGTERM");
    long preStopSeconds = Long.parseLong(String.valueOf(preStop.get(preStop.size() - 1)));
    long grace = ((Number) gatewayPod.get("terminationGracePeriodSeconds")).longValue();
    assertTrue(grace * 1000 > preStopSeconds * 1000 + window + deadline, "terminationGracePeriodSeconds " + grace
        + " must exceed preStop " + preStopSeconds + " s + drain window " + window + " ms + deadline " + deadline + " ms");

    Map<String, Object> bridgePod = podSpec(bridge);
    Map<String, String> bridgeEnv = literalEnv(map(list(bridgePod.get("containers")).get(0)));
    long bridgeDrain = Long.parseLong(bridgeEnv.getOrDefault("WXGW_DRAIN_WINDOW_MS", "0"))
        + Long.parseLong(required(bridgeEnv, "WXGW_DRAIN_DEADLINE_MS"));
    assertTrue(((Number) bridgePod.get("terminationGracePeriodSeconds")).longValue() * 1000 > bridgeDrain,
        "the bridge's grace period exceeds its drain deadline");

    // Headless service for Hazelcast DNS discovery, covering gateway and bridge pods.
    List<Map<String, Object>> headless = ofKind(objects, "Service").stream()
        .filter(s -> "None".equals(map(s.get("spec")).get("clusterIP"))).toList();
    assertEquals(1, headless.size(), "one headless service");
    Map<String, Object> headlessSpec = map(headless.get(0).get("spec"));
    assertEquals(Boolean.TRUE, headlessSpec.get("publishNotReadyAddresses"), "members find each other before ready");
    assertTrue(selects(map(headlessSpec.get("selector")), podTemplateLabels(gateway)), "it selects the gateways");
    assertTrue(selects(map(headlessSpec.get("selector")), podTemplateLabels(bridge)), "it selects the bridges");
    assertTrue(list(headlessSpec.get("ports")).stream().anyMatch(p -> Integer.valueOf(5701).equals(map(p).get("port"))),
        "the Hazelcast port");
    String headlessName = name(headless.get(0));
    if ("StatefulSet".equals(gateway.get("kind"))) {
      assertEquals(headlessName, map(gateway.get("spec")).get("serviceName"));
    }
    for (Map<String, String> e : List.of(env, bridgeEnv)) {
      assertTrue(required(e, "WXGW_CLUSTER_KUBERNETES_SERVICE").startsWith(headlessName + "."),
          "cluster discovery looks the headless service up: " + e.get("WXGW_CLUSTER_KUBERNETES_SERVICE"));
    }

    // The clients' service: gateways only, WebSocket port.
    List<Map<String, Object>> clientServices = ofKind(objects, "Service").stream()
        .filter(s -> !"None".equals(map(s.get("spec")).get("clusterIP"))).toList();
    assertEquals(1, clientServices.size());
    Map<String, Object> clientSpec = map(clientServices.get(0).get("spec"));
    assertTrue(selects(map(clientSpec.get("selector")), podTemplateLabels(gateway)));
    assertFalse(selects(map(clientSpec.get("selector")), podTemplateLabels(bridge)), "bridges take no sockets");
    for (Object port : list(clientSpec.get("ports"))) {
      assertEquals(8080, containerPort(container, map(port).get("targetPort")), "the WebSocket port");
    }

    List<Map<String, Object>> pdbs = ofKind(objects, "PodDisruptionBudget");
    assertTrue(pdbs.stream().anyMatch(p -> selects(map(map(map(p.get("spec")).get("selector")).get("matchLabels")),
        podTemplateLabels(gateway))), "a PodDisruptionBudget covers the gateways");
    assertTrue(pdbs.stream().anyMatch(p -> selects(map(map(map(p.get("spec")).get("selector")).get("matchLabels")),
        podTemplateLabels(bridge))), "a PodDisruptionBudget covers the bridges");

    List<Map<String, Object>> hpas = ofKind(objects, "HorizontalPodAutoscaler");
    assertEquals(1, hpas.size());
    Map<String, Object> hpaSpec = map(hpas.get(0).get("spec"));
    Map<String, Object> target = map(hpaSpec.get("scaleTargetRef"));
    assertEquals(gateway.get("kind"), target.get("kind"));
    assertEquals(name(gateway), target.get("name"));
    assertTrue(((Number) hpaSpec.get("minReplicas")).intValue() >= 2, "at least two gateways");
    assertFalse(map(gateway.get("spec")).containsKey("replicas"), "the HPA owns the gateway replica count");
  }

  @Test
  void everyWxContainerIsProbedRunsAsNonRootAndHasItsKafkaConfigAndSecrets() throws IOException {
    List<Map<String, Object>> objects = k8sObjects();
    Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
    ofKind(objects, "ConfigMap").forEach(c -> configMaps.put(name(c), map(c.get("data"))));
    Map<String, Set<String>> secrets = new LinkedHashMap<>();
    ofKind(objects, "Secret").forEach(s -> {
      Set<String> keys = new TreeSet<>(map(s.get("data")).keySet());
      keys.addAll(map(s.get("stringData")).keySet());
      secrets.put(name(s), keys);
    });
    int uid = dockerUid();
    List<String> problems = new ArrayList<>();
    for (String component : List.of("gateway", "bridge")) {
      Map<String, Object> workload = workload(objects, component);
      Map<String, Object> pod = podSpec(workload);
      Map<String, Object> podSecurity = map(pod.get("securityContext"));
      Map<String, Object> annotations = map(map(map(map(workload.get("spec")).get("template")).get("metadata"))
          .get("annotations"));
      if (!"true".equals(annotations.get("prometheus.io/scrape")) || !"9090".equals(annotations.get("prometheus.io/port"))) {
        problems.add(component + ": no Prometheus scrape annotations for port 9090");
      }
      Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
      list(pod.get("volumes")).forEach(v -> volumes.put(str(map(v).get("name")), map(v)));
      for (Map<String, Object> volume : volumes.values()) {
        Map<String, Object> cm = map(volume.get("configMap"));
        Map<String, Object> secret = map(volume.get("secret"));
        if (!cm.isEmpty() && !configMaps.containsKey(str(cm.get("name")))) {
          problems.add(component + ": volume uses unknown ConfigMap " + cm.get("name"));
        }
        if (!secret.isEmpty() && !secrets.containsKey(str(secret.get("secretName")))) {
          problems.add(component + ": volume uses unknown Secret " + secret.get("secretName"));
        }
      }
      for (Object c : list(pod.get("containers"))) {
        Map<String, Object> container = map(c);
        String where = component + "/" + container.get("name");
        Map<String, Object> security = map(container.get("securityContext"));
        Object nonRoot = security.containsKey("runAsNonRoot") ? security.get("runAsNonRoot") : podSecurity.get("runAsNonRoot");
        Object user = security.containsKey("runAsUser") ? security.get("runAsUser") : podSecurity.get("runAsUser");
        if (!Boolean.TRUE.equals(nonRoot)) {
          problems.add(where + ": runAsNonRoot is not true");
        }
        if (!Integer.valueOf(uid).equals(user)) {
          problems.add(where + ": runAsUser " + user + " is not the image's uid " + uid);
        }
        if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
          problems.add(where + ": allowPrivilegeEscalation is not false");
        }
        checkProbe(where, container, "livenessProbe", "/health/live", problems);
        checkProbe(where, container, "readinessProbe", "/health/ready", problems);
        if (container.containsKey("startupProbe")) {
          checkProbe(where, container, "startupProbe", "/health/live", problems);
        }
        Map<String, Object> resources = map(container.get("resources"));
        if (map(resources.get("requests")).isEmpty() || !map(resources.get("limits")).containsKey("memory")) {
          problems.add(where + ": needs resource requests and a memory limit");
        }

        Set<String> envNames = new LinkedHashSet<>();
        String bootstrap = null;
        for (Object e : list(container.get("env"))) {
          Map<String, Object> var = map(e);
          String varName = str(var.get("name"));
          envNames.add(varName);
          Map<String, Object> from = map(var.get("valueFrom"));
          Map<String, Object> cmRef = map(from.get("configMapKeyRef"));
          Map<String, Object> secretRef = map(from.get("secretKeyRef"));
          String value = str(var.get("value"));
          if (!cmRef.isEmpty()) {
            value = str(configMaps.getOrDefault(str(cmRef.get("name")), Map.of()).get(str(cmRef.get("key"))));
            if (value == null) {
              problems.add(where + ": " + varName + " refers to missing ConfigMap key " + cmRef);
            }
          }
          if (!secretRef.isEmpty() && !secrets.getOrDefault(str(secretRef.get("name")), Set.of())
              .contains(str(secretRef.get("key")))) {
            problems.add(where + ": " + varName + " refers to missing Secret key " + secretRef);
          }
          if (varName.equals("WXGW_KAFKA_BOOTSTRAP_SERVERS")) {
            bootstrap = value;
          }
          // A file path under /etc/wx-gateway must be a key of the Secret/ConfigMap mounted there.
          if (varName.endsWith("_FILE") && value != null && value.startsWith("/etc/wx-gateway/")) {
            if (!mountedFile(container, volumes, secrets, configMaps, value)) {
              problems.add(where + ": " + varName + "=" + value + " is not a file any mounted Secret or ConfigMap provides");
            }
          }
        }
        if (bootstrap == null || bootstrap.isBlank()) {
          problems.add(where + ": WXGW_KAFKA_BOOTSTRAP_SERVERS is not set (the embedded broker would start)");
        }
        checkEnvironmentNames("k8s " + where, envNames.stream().filter(n -> n.startsWith("WXGW_")).toList(), problems);

        List<Object> args = list(container.get("args"));
        int config = args.indexOf("--config");
        if (config < 0 || !mountedFile(container, volumes, secrets, configMaps, String.valueOf(args.get(config + 1)))) {
          problems.add(where + ": --config does not point at the mounted ConfigMap file: " + args);
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void theConfigMapsConfigFileLoadsAndUsesOnlyRealKeys() throws IOException {
    Map<String, Object> configMap = ofKind(k8sObjects(), "ConfigMap").stream()
        .filter(c -> map(c.get("data")).containsKey("config.yaml")).findFirst().orElseThrow();
    Path file = Files.createTempFile("wx-config", ".yaml");
    try {
      Files.writeString(file, str(map(configMap.get("data")).get("config.yaml")));
      JsonObject yaml = ConfigLoader.readYaml(file);
      List<String> problems = new ArrayList<>();
      unknownKeys("", yaml, WxConfig.defaults(), problems);
      assertNoProblems(problems);
      WxConfig config = ConfigLoader.load(file, Map.of("WXGW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
      assertEquals(8080, config.gateway.getPort());
      assertEquals(9090, config.managementPort);
      assertEquals("kafka:9092", config.kafka.getBootstrapServers());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void unknownKeys(String path, JsonObject yaml, JsonObject defaults, List<String> problems) {
    for (String key : yaml.fieldNames()) {
      if (!defaults.containsKey(key)) {
        problems.add("config.yaml: " + path + key + " is not a setting");
      } else if (yaml.getValue(key) instanceof JsonObject nested && !key.equals("properties")
          && defaults.getValue(key) instanceof JsonObject nestedDefaults) {
        unknownKeys(path + key + ".", nested, nestedDefaults, problems);
      }
    }
  }

  private static boolean mountedFile(Map<String, Object> container, Map<String, Map<String, Object>> volumes,
      Map<String, Set<String>> secrets, Map<String, Map<String, Object>> configMaps, String path) {
    for (Object m : list(container.get("volumeMounts"))) {
      String mountPath = str(map(m).get("mountPath"));
      if (!path.startsWith(mountPath + "/")) {
        continue;
      }
      String file = path.substring(mountPath.length() + 1);
      Map<String, Object> volume = volumes.getOrDefault(str(map(m).get("name")), Map.of());
      Map<String, Object> secret = map(volume.get("secret"));
      Map<String, Object> cm = map(volume.get("configMap"));
      Set<String> files = new TreeSet<>();
      List<Object> items = list(!secret.isEmpty() ? secret.get("items") : cm.get("items"));
      if (!items.isEmpty()) {
        items.forEach(i -> files.add(str(map(i).get("path"))));
      } else if (!secret.isEmpty()) {
        files.addAll(secrets.getOrDefault(str(secret.get("secretName")), Set.of()));
      } else if (!cm.isEmpty()) {
        files.addAll(configMaps.getOrDefault(str(cm.get("name")), Map.of()).keySet());
      }
      if (files.contains(file)) {
        return true;
      }
    }
    return false;
  }

  private static void checkProbe(String where, Map<String, Object> container, String probe, String path,
      List<String> problems) {
    Map<String, Object> http = map(map(container.get(probe)).get("httpGet"));
    if (!path.equals(http.get("path"))) {
      problems.add(where + ": " + probe + " must GET " + path + ", was " + http.get("path"));
    } else if (containerPort(container, http.get("port")) != 9090) {
      problems.add(where + ": " + probe + " must use the management port 9090, was " + http.get("port"));
    }
  }

  private static int containerPort(Map<String, Object> container, Object port) {
    if (port instanceof Number n) {
      return n.intValue();
    }
    for (Object p : list(container.get("ports"))) {
      if (String.valueOf(port).equals(map(p).get("name"))) {
        return ((Number) map(p).get("containerPort")).intValue();
      }
    }
    return -1;
  }

  private static Map<String, String> literalEnv(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object e : list(container.get("env"))) {
      env.put(str(map(e).get("name")), str(map(e).get("value")));
    }
    return env;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    assertNotNull(value, name + " is set");
    return value;
  }

  // ------------------------------------------------------------------ settings

  /**
   * Every WXGW_* variable the artifacts set must be a setting the launcher reads (as --help lists
   * them), a Kafka client property, WXGW_LOG_LEVEL, or a coming-soon setting whose section the
   * launcher does not know yet.
   */
  private static void checkEnvironmentNames(String where, Iterable<String> names, List<String> problems) {
    Set<String> known = new TreeSet<>();
    ConfigLoader.forEachSetting(WxConfig.defaults(), "", ConfigLoader.ENV_PREFIX, (path, value, env) -> known.add(env));
    for (String name : names) {
      if (!name.startsWith("WXGW_") || known.contains(name) || OTHER_WXGW_VARIABLES.contains(name)
          || (name.startsWith(ConfigLoader.KAFKA_PROPERTY_PREFIX) && name.length() > ConfigLoader.KAFKA_PROPERTY_PREFIX.length())) {
        continue;
      }
      String rest = name.substring("WXGW_".length());
      List<String> similar = known.stream().filter(k -> k.endsWith("_" + rest)).toList();
      String section = "WXGW_" + rest.split("_")[0];
      boolean sectionKnown = known.stream().anyMatch(k -> k.equals(section) || k.startsWith(section + "_"));
      if (!similar.isEmpty()) {
        problems.add(where + ": " + name + " is not a setting; did you mean " + similar + "?");
      } else if (!COMING_SOON.contains(name)) {
        problems.add(where + ": " + name + " is not a setting (see wx-gateway --help)");
      } else if (sectionKnown) {
        problems.add(where + ": " + name + " is not a setting, although the launcher now has a "
            + section + "_* section: rename it to the real setting");
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static List<Object> yamlDocuments(Path file) {
    try {
      List<Object> docs = new ArrayList<>();
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
        docs.add(doc);
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  private static void assertNoProblems(List<String> problems) {
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
  }

  private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.managementPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
