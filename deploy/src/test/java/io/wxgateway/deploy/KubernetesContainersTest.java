package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.assertNoProblems;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static io.wxgateway.deploy.Manifests.containerPort;
import static io.wxgateway.deploy.Manifests.podTemplateMetadata;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.wxgateway.deploy.Manifests.WxContainer;
import org.junit.jupiter.api.Test;

/** What every container of the gateway and bridge workloads must have: scraping, volumes, security, probes, configuration. */
class KubernetesContainersTest {

  @Test
  void everyWxPodIsScrapedAndMountsOnlyConfigMapsAndSecretsThatExist() throws IOException {
    Manifests k8s = Manifests.read();
    List<String> problems = new ArrayList<>();
    for (String component : List.of("gateway", "bridge")) {
      Map<String, Object> workload = k8s.workload(component);
      Map<String, Object> annotations = map(podTemplateMetadata(workload).get("annotations"));
      if (!"true".equals(annotations.get("prometheus.io/scrape")) || !"9090".equals(annotations.get("prometheus.io/port"))) {
        problems.add(component + ": no Prometheus scrape annotations for port 9090");
      }
      for (Map<String, Object> volume : Manifests.volumes(Manifests.podSpec(workload)).values()) {
        Map<String, Object> cm = map(volume.get("configMap"));
        Map<String, Object> secret = map(volume.get("secret"));
        if (!cm.isEmpty() && !k8s.configMaps().containsKey(str(cm.get("name")))) {
          problems.add(component + ": volume uses unknown ConfigMap " + cm.get("name"));
        }
        if (!secret.isEmpty() && !k8s.secrets().containsKey(str(secret.get("secretName")))) {
          problems.add(component + ": volume uses unknown Secret " + secret.get("secretName"));
        }
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyWxContainerRunsAsTheImagesNonRootUserWithoutPrivilegeEscalation() throws IOException {
    int uid = Dockerfile.uid();
    List<String> problems = new ArrayList<>();
    for (WxContainer c : Manifests.read().wxContainers()) {
      Map<String, Object> podSecurity = map(c.pod().get("securityContext"));
      Map<String, Object> security = map(c.container().get("securityContext"));
      Object nonRoot = security.containsKey("runAsNonRoot") ? security.get("runAsNonRoot") : podSecurity.get("runAsNonRoot");
      Object user = security.containsKey("runAsUser") ? security.get("runAsUser") : podSecurity.get("runAsUser");
      if (!Boolean.TRUE.equals(nonRoot)) {
        problems.add(c.where() + ": runAsNonRoot is not true");
      }
      if (!Integer.valueOf(uid).equals(user)) {
        problems.add(c.where() + ": runAsUser " + user + " is not the image's uid " + uid);
      }
      if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
        problems.add(c.where() + ": allowPrivilegeEscalation is not false");
      }
    }
    assertNoProblems(problems);
  }

  @Test
  void everyWxContainerIsProbedOnTheManagementPortAndHasResourceRequestsAndAMemoryLimit() throws IOException {
    List<String> problems = new ArrayList<>();
    for (WxContainer c : Manifests.read().wxContainers()) {
      checkProbe(c, "livenessProbe", "/health/live", problems);
      checkProbe(c, "readinessProbe", "/health/ready", problems);
      if (c.container().containsKey("startupProbe")) {
        checkProbe(c, "startupProbe", "/health/live", problems);
      }
      Map<String, Object> resources = map(c.container().get("resources"));
      if (map(resources.get("requests")).isEmpty() || !map(resources.get("limits")).containsKey("memory")) {
        problems.add(c.where() + ": needs resource requests and a memory limit");
      }
    }
    assertNoProblems(problems);
  }

  private static void checkProbe(WxContainer c, String probe, String path, List<String> problems) {
    Map<String, Object> http = map(map(c.container().get(probe)).get("httpGet"));
    if (!path.equals(http.get("path"))) {
      problems.add(c.where() + ": " + probe + " must GET " + path + ", was " + http.get("path"));
    } else if (containerPort(c.container(), http.get("port")) != 9090) {
      problems.add(c.where() + ": " + probe + " must use the management port 9090, was " + http.get("port"));
    }
  }

  @Test
  void everyWxContainerHasItsKafkaBootstrapAndItsConfigAndEveryReferenceItUsesExists() throws IOException {
    Manifests k8s = Manifests.read();
    List<String> problems = new ArrayList<>();
    for (WxContainer c : k8s.wxContainers()) {
      String bootstrap = null;
      for (Object e : list(c.container().get("env"))) {
        String value = checkEnvEntry(k8s, c, map(e), problems);
        if (str(map(e).get("name")).equals("WXGW_KAFKA_BOOTSTRAP_SERVERS")) {
          bootstrap = value;
        }
      }
      if (bootstrap == null || bootstrap.isBlank()) {
        problems.add(c.where() + ": WXGW_KAFKA_BOOTSTRAP_SERVERS is not set (the embedded broker would start)");
      }
      List<Object> args = list(c.container().get("args"));
      int config = args.indexOf("--config");
      if (config < 0 || !k8s.mountedFile(c, String.valueOf(args.get(config + 1)))) {
        problems.add(c.where() + ": --config does not point at the mounted ConfigMap file: " + args);
      }
    }
    assertNoProblems(problems);
  }

  /**
   * An env entry's ConfigMap or Secret key must exist, and a *_FILE path under /etc/wx-gateway must
   * be a key of the Secret or ConfigMap mounted there. Returns the value (a ConfigMap's resolved).
   */
  private static String checkEnvEntry(Manifests k8s, WxContainer c, Map<String, Object> var, List<String> problems) {
    String varName = str(var.get("name"));
    Map<String, Object> from = map(var.get("valueFrom"));
    Map<String, Object> cmRef = map(from.get("configMapKeyRef"));
    Map<String, Object> secretRef = map(from.get("secretKeyRef"));
    String value = str(var.get("value"));
    if (!cmRef.isEmpty()) {
      value = str(k8s.configMaps().getOrDefault(str(cmRef.get("name")), Map.of()).get(str(cmRef.get("key"))));
      if (value == null) {
        problems.add(c.where() + ": " + varName + " refers to missing ConfigMap key " + cmRef);
      }
    }
    if (!secretRef.isEmpty() && !k8s.secrets().getOrDefault(str(secretRef.get("name")), Set.of())
        .contains(str(secretRef.get("key")))) {
      problems.add(c.where() + ": " + varName + " refers to missing Secret key " + secretRef);
    }
    if (varName.endsWith("_FILE") && value != null && value.startsWith("/etc/wx-gateway/")
        && !k8s.mountedFile(c, value)) {
      problems.add(c.where() + ": " + varName + "=" + value + " is not a file any mounted Secret or ConfigMap provides");
    }
    return value;
  }
}
