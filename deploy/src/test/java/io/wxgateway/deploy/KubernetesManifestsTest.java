package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.K8S;
import static io.wxgateway.deploy.Artifacts.assertNoProblems;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Manifests.containerPort;
import static io.wxgateway.deploy.Manifests.firstContainer;
import static io.wxgateway.deploy.Manifests.literalEnv;
import static io.wxgateway.deploy.Manifests.name;
import static io.wxgateway.deploy.Manifests.podSpec;
import static io.wxgateway.deploy.Manifests.podTemplateLabels;
import static io.wxgateway.deploy.Manifests.required;
import static io.wxgateway.deploy.Manifests.selects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests (deploy/k8s) as a whole: kustomization, drain and grace periods, the
 * services, the disruption budgets and the autoscaler. What each wx-gateway container must have
 * is in {@link KubernetesContainersTest}.
 */
class KubernetesManifestsTest {

  @Test
  void theManifestsAreNamespaceAgnosticAndKustomizeListsAllButTheSecrets() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> o : Manifests.read().objects()) {
      if (o.get("apiVersion") == null || o.get("kind") == null || name(o) == null) {
        problems.add(o.get("__file") + ": an object without apiVersion, kind or name");
      }
      if (map(o.get("metadata")).containsKey("namespace")) {
        problems.add(o.get("__file") + ": " + name(o) + " fixes a namespace");
      }
    }
    Map<String, Object> kustomization = Artifacts.yaml(K8S.resolve("kustomization.yaml"));
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
  void gatewaysAndBridgesDrainWithinTheirGracePeriod() throws IOException {
    Manifests k8s = Manifests.read();
    assertTheGatewayDrainsWithinItsGracePeriod(k8s.workload("gateway"));
    Map<String, Object> bridgePod = podSpec(k8s.workload("bridge"));
    Map<String, String> bridgeEnv = literalEnv(firstContainer(k8s.workload("bridge")));
    long bridgeDrain = Long.parseLong(bridgeEnv.getOrDefault("WXGW_DRAIN_WINDOW_MS", "0"))
        + Long.parseLong(required(bridgeEnv, "WXGW_DRAIN_DEADLINE_MS"));
    assertTrue(((Number) bridgePod.get("terminationGracePeriodSeconds")).longValue() * 1000 > bridgeDrain,
        "the bridge's grace period exceeds its drain deadline");
  }

  /** The check above can fail: a grace period that only equals preStop + window + deadline is too short. */
  @Test
  void aGatewayGracePeriodTooShortForPreStopAndTheDrainIsReported() throws IOException {
    Map<String, Object> gateway = Manifests.read().workload("gateway");
    Map<String, String> env = literalEnv(firstContainer(gateway));
    long drainSeconds = (Long.parseLong(env.get("WXGW_DRAIN_WINDOW_MS"))
        + Long.parseLong(env.get("WXGW_DRAIN_DEADLINE_MS"))) / 1000;
    podSpec(gateway).put("terminationGracePeriodSeconds", preStopSeconds(firstContainer(gateway)) + drainSeconds);
    AssertionError tooShort = assertThrows(AssertionError.class, () -> assertTheGatewayDrainsWithinItsGracePeriod(gateway));
    assertTrue(tooShort.getMessage().startsWith("terminationGracePeriodSeconds"), tooShort.getMessage());
  }

  /** preStop sleeps, then SIGTERM starts the drain (window, then deadline): the grace period must cover all three. */
  private static void assertTheGatewayDrainsWithinItsGracePeriod(Map<String, Object> gateway) {
    Map<String, Object> container = firstContainer(gateway);
    Map<String, String> env = literalEnv(container);
    long window = Long.parseLong(required(env, "WXGW_DRAIN_WINDOW_MS"));
    long deadline = Long.parseLong(required(env, "WXGW_DRAIN_DEADLINE_MS"));
    List<Object> preStop = preStopCommand(container);
    assertEquals("sleep", String.valueOf(preStop.get(0)), "preStop sleeps so that endpoints drop before SIGTERM");
    long preStopSeconds = preStopSeconds(container);
    long grace = ((Number) podSpec(gateway).get("terminationGracePeriodSeconds")).longValue();
    assertTrue(grace * 1000 > preStopSeconds * 1000 + window + deadline, "terminationGracePeriodSeconds " + grace
        + " must exceed preStop " + preStopSeconds + " s + drain window " + window + " ms + deadline " + deadline + " ms");
  }

  private static List<Object> preStopCommand(Map<String, Object> container) {
    return list(map(map(map(map(container.get("lifecycle")).get("preStop")).get("exec"))).get("command"));
  }

  private static long preStopSeconds(Map<String, Object> container) {
    List<Object> preStop = preStopCommand(container);
    return Long.parseLong(String.valueOf(preStop.get(preStop.size() - 1)));
  }

  /** Hazelcast finds its members by DNS: a headless service covering gateway and bridge pods. */
  @Test
  void aHeadlessServiceLetsGatewaysAndBridgesFindEachOther() throws IOException {
    Manifests k8s = Manifests.read();
    Map<String, Object> gateway = k8s.workload("gateway");
    Map<String, Object> bridge = k8s.workload("bridge");
    List<Map<String, Object>> headless = services(k8s, true);
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
    for (Map<String, Object> workload : List.of(gateway, bridge)) {
      Map<String, String> e = literalEnv(firstContainer(workload));
      assertTrue(required(e, "WXGW_CLUSTER_KUBERNETES_SERVICE").startsWith(headlessName + "."),
          "cluster discovery looks the headless service up: " + e.get("WXGW_CLUSTER_KUBERNETES_SERVICE"));
    }
  }

  @Test
  void theClientsServiceReachesOnlyTheGatewaysWebSocketPort() throws IOException {
    Manifests k8s = Manifests.read();
    Map<String, Object> gateway = k8s.workload("gateway");
    List<Map<String, Object>> clientServices = services(k8s, false);
    assertEquals(1, clientServices.size());
    Map<String, Object> clientSpec = map(clientServices.get(0).get("spec"));
    assertTrue(selects(map(clientSpec.get("selector")), podTemplateLabels(gateway)));
    assertFalse(selects(map(clientSpec.get("selector")), podTemplateLabels(k8s.workload("bridge"))),
        "bridges take no sockets");
    for (Object port : list(clientSpec.get("ports"))) {
      assertEquals(8080, containerPort(firstContainer(gateway), map(port).get("targetPort")), "the WebSocket port");
    }
  }

  @Test
  void disruptionBudgetsCoverBothWorkloadsAndAnAutoscalerOwnsTheGatewayReplicas() throws IOException {
    Manifests k8s = Manifests.read();
    Map<String, Object> gateway = k8s.workload("gateway");
    List<Map<String, Object>> pdbs = k8s.ofKind("PodDisruptionBudget");
    Predicate<Map<String, Object>> coversGateways = p -> selects(matchLabels(p), podTemplateLabels(gateway));
    Predicate<Map<String, Object>> coversBridges = p -> selects(matchLabels(p), podTemplateLabels(k8s.workload("bridge")));
    assertTrue(pdbs.stream().anyMatch(coversGateways), "a PodDisruptionBudget covers the gateways");
    assertTrue(pdbs.stream().anyMatch(coversBridges), "a PodDisruptionBudget covers the bridges");

    List<Map<String, Object>> hpas = k8s.ofKind("HorizontalPodAutoscaler");
    assertEquals(1, hpas.size());
    Map<String, Object> hpaSpec = map(hpas.get(0).get("spec"));
    Map<String, Object> target = map(hpaSpec.get("scaleTargetRef"));
    assertEquals(gateway.get("kind"), target.get("kind"));
    assertEquals(name(gateway), target.get("name"));
    assertTrue(((Number) hpaSpec.get("minReplicas")).intValue() >= 2, "at least two gateways");
    assertFalse(map(gateway.get("spec")).containsKey("replicas"), "the HPA owns the gateway replica count");
  }

  /** The headless services (clusterIP None), or the others. */
  private static List<Map<String, Object>> services(Manifests k8s, boolean headless) {
    return k8s.ofKind("Service").stream()
        .filter(s -> "None".equals(map(s.get("spec")).get("clusterIP")) == headless).toList();
  }

  private static Map<String, Object> matchLabels(Map<String, Object> pdb) {
    return map(map(map(pdb.get("spec")).get("selector")).get("matchLabels"));
  }
}
