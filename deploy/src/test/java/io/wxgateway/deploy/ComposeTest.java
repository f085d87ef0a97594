package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.ALERTS;
import static io.wxgateway.deploy.Artifacts.COMPOSE;
import static io.wxgateway.deploy.Artifacts.DASHBOARD;
import static io.wxgateway.deploy.Artifacts.DOCKERFILE;
import static io.wxgateway.deploy.Artifacts.assertNoProblems;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static io.wxgateway.deploy.Compose.NODE_ROLES;
import static io.wxgateway.deploy.Compose.environment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The compose stack (deploy/compose/docker-compose.yml) and the Prometheus and Grafana files it mounts. */
class ComposeTest {

  @Test
  void theComposeStackHasKafkaInKraftModeTwoGatewaysABridgePrometheusAndGrafana() {
    Map<String, Object> services = Compose.services();
    assertTrue(services.keySet().containsAll(Set.of("kafka", "gateway-1", "gateway-2", "bridge-1", "prometheus",
        "grafana")), "services: " + services.keySet());
    Map<String, String> kafkaEnv = environment(map(services.get("kafka")));
    assertTrue(kafkaEnv.getOrDefault("KAFKA_PROCESS_ROLES", "").matches("broker,controller|controller,broker"),
        "a single KRaft node: " + kafkaEnv.get("KAFKA_PROCESS_ROLES"));
    assertTrue(kafkaEnv.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "").contains("//kafka:9092"),
        "the broker advertises the address the nodes use");
    assertEquals("true", environment(map(services.get("bridge-1"))).get("WXGW_DEMO_ECHO"),
        "the demo echo backend answers out of the box");

    List<String> problems = new ArrayList<>();
    Set<String> hostPorts = new TreeSet<>();
    for (Map.Entry<String, Object> e : services.entrySet()) {
      for (Object port : list(map(e.getValue()).get("ports"))) {
        String hostPort = String.valueOf(port).split(":")[0];
        if (!hostPorts.add(hostPort)) {
          problems.add("host port " + hostPort + " is published twice");
        }
      }
      for (Compose.Mount mount : Compose.mounts(map(e.getValue()))) {
        if (mount.source().startsWith(".") && !Files.exists(COMPOSE.getParent().resolve(mount.source()))) {
          problems.add(e.getKey() + " mounts " + mount.source() + ", which does not exist");
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyComposeNodeBuildsTheDockerfileAndJoinsKafkaAndTheCluster() {
    Map<String, Object> services = Compose.services();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> node : NODE_ROLES.entrySet()) {
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
      for (String other : NODE_ROLES.keySet()) {
        if (!members.contains(other)) {
          problems.add(node.getKey() + ": WXGW_CLUSTER_MEMBERS lacks " + other);
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyComposeNodeGetsAStopGracePeriodLongerThanItsDrain() {
    Map<String, Object> services = Compose.services();
    List<String> problems = new ArrayList<>();
    for (String node : NODE_ROLES.keySet()) {
      String problem = Compose.drainProblem(node, map(services.get(node)));
      if (problem != null) {
        problems.add(problem);
      }
    }
    assertNoProblems(problems);
  }

  /** The check above can fail: a grace period equal to the drain (window + deadline) is too short. */
  @Test
  void aStopGracePeriodNoLongerThanTheDrainIsReported() {
    Map<String, Object> gateway = new LinkedHashMap<>(map(Compose.services().get("gateway-1")));
    Map<String, String> env = environment(gateway);
    long drainMs = Long.parseLong(env.getOrDefault("WXGW_DRAIN_WINDOW_MS", "10000"))
        + Long.parseLong(env.getOrDefault("WXGW_DRAIN_DEADLINE_MS", "30000"));
    gateway.put("stop_grace_period", drainMs + "ms");
    assertEquals("gateway-1: stop_grace_period " + drainMs + " ms does not exceed the drain (" + drainMs + " ms)",
        Compose.drainProblem("gateway-1", gateway));
    gateway.put("stop_grace_period", (drainMs + 1) + "ms");
    assertNull(Compose.drainProblem("gateway-1", gateway));
    assertEquals(90_500, Compose.durationMs("1m30s500ms"));
  }

  @Test
  void composePrometheusScrapesEveryNodeAndLoadsTheAlertRules() {
    Map<String, Object> prometheus = map(Compose.services().get("prometheus"));
    Map<String, Path> mounted = Compose.mountedAt(prometheus);
    Path config = mounted.get("/etc/prometheus/prometheus.yml");
    assertNotNull(config, "prometheus.yml is mounted where Prometheus reads it");
    Map<String, Object> prom = Artifacts.yaml(config);

    String alertsTarget = mounted.entrySet().stream().filter(e -> e.getValue().equals(ALERTS)).map(Map.Entry::getKey)
        .findFirst().orElseThrow(() -> new AssertionError("deploy/prometheus/alerts.yml is mounted into Prometheus"));
    assertTrue(list(prom.get("rule_files")).stream().anyMatch(glob ->
            FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(alertsTarget))),
        "rule_files load " + alertsTarget);

    Map<String, Object> job = list(prom.get("scrape_configs")).stream().map(Artifacts::map)
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
    Map<String, Object> grafana = map(Compose.services().get("grafana"));
    Map<String, Path> mounted = Compose.mountedAt(grafana);
    Path provisioning = mounted.get("/etc/grafana/provisioning");
    assertNotNull(provisioning, "the provisioning folder is mounted");

    List<String> providerPaths = new ArrayList<>();
    for (Path file : filesIn(provisioning.resolve("dashboards"))) {
      for (Object provider : list(Artifacts.yaml(file).get("providers"))) {
        providerPaths.add(str(map(map(provider).get("options")).get("path")));
      }
    }
    assertFalse(providerPaths.isEmpty(), "a dashboard provider");
    boolean provisioned = mounted.entrySet().stream().anyMatch(mount -> mount.getValue().equals(DASHBOARD)
        && providerPaths.stream().anyMatch(providerPath -> mount.getKey().startsWith(providerPath + "/")));
    assertTrue(provisioned, "deploy/grafana/wx-gateway-dashboard.json is mounted into a provider's folder "
        + providerPaths + ": " + mounted);
    assertTrue(Files.exists(DASHBOARD));
    String home = environment(grafana).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    if (home != null) {
      assertEquals(DASHBOARD, mounted.get(home), "the home dashboard is the mounted dashboard");
    }

    boolean datasource = false;
    for (Path file : filesIn(provisioning.resolve("datasources"))) {
      for (Object ds : list(Artifacts.yaml(file).get("datasources"))) {
        datasource |= "prometheus".equals(map(ds).get("type"))
            && String.valueOf(map(ds).get("url")).startsWith("http://prometheus:9090");
      }
    }
    assertTrue(datasource, "a Prometheus datasource pointing at the prometheus service");
  }

  private static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }
}
