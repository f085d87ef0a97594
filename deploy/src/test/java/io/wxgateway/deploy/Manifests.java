package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.K8S;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Kubernetes objects of deploy/k8s/*.yaml (the Kustomization aside), each with the file it came
 * from under "__file", and the ways the tests look into them: workloads by component, pod specs,
 * containers, what a container can mount.
 */
final class Manifests {

  private final List<Map<String, Object>> objects = new ArrayList<>();
  /** ConfigMap name to its data. */
  private final Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
  /** Secret name to its keys (data and stringData). */
  private final Map<String, Set<String>> secrets = new LinkedHashMap<>();

  /** A container of a wx-gateway workload; {@code where} names it as component/container. */
  record WxContainer(String where, Map<String, Object> workload, Map<String, Object> pod, Map<String, Object> container) {
  }

  private Manifests() {
  }

  /** Reads the files afresh: a test may change what it gets. */
  static Manifests read() throws IOException {
    Manifests manifests = new Manifests();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc : Artifacts.yamlDocuments(file)) {
          if (doc != null && !"Kustomization".equals(map(doc).get("kind"))) {
            Map<String, Object> object = new LinkedHashMap<>(map(doc));
            object.put("__file", file.getFileName().toString());
            manifests.objects.add(object);
          }
        }
      }
    }
    manifests.ofKind("ConfigMap").forEach(c -> manifests.configMaps.put(name(c), map(c.get("data"))));
    manifests.ofKind("Secret").forEach(s -> {
      Set<String> keys = new TreeSet<>(map(s.get("data")).keySet());
      keys.addAll(map(s.get("stringData")).keySet());
      manifests.secrets.put(name(s), keys);
    });
    return manifests;
  }

  List<Map<String, Object>> objects() {
    return objects;
  }

  List<Map<String, Object>> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  /** The one StatefulSet or Deployment whose pods are labelled app.kubernetes.io/component={@code component}. */
  Map<String, Object> workload(String component) {
    List<Map<String, Object>> found = objects.stream()
        .filter(o -> Set.of("StatefulSet", "Deployment").contains(str(o.get("kind"))))
        .filter(o -> component.equals(podTemplateLabels(o).get("app.kubernetes.io/component"))).toList();
    assertEquals(1, found.size(), "one " + component + " workload");
    return found.get(0);
  }

  /** Every container of the gateway and the bridge workloads. */
  List<WxContainer> wxContainers() {
    List<WxContainer> out = new ArrayList<>();
    for (String component : List.of("gateway", "bridge")) {
      Map<String, Object> workload = workload(component);
      Map<String, Object> pod = podSpec(workload);
      for (Object c : list(pod.get("containers"))) {
        out.add(new WxContainer(component + "/" + map(c).get("name"), workload, pod, map(c)));
      }
    }
    return out;
  }

  Map<String, Map<String, Object>> configMaps() {
    return configMaps;
  }

  Map<String, Set<String>> secrets() {
    return secrets;
  }

  /** The pod's volumes by name. */
  static Map<String, Map<String, Object>> volumes(Map<String, Object> pod) {
    Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
    list(pod.get("volumes")).forEach(v -> volumes.put(str(map(v).get("name")), map(v)));
    return volumes;
  }

  /** Whether {@code path} is a file that a Secret or ConfigMap mounted into the container provides. */
  boolean mountedFile(WxContainer c, String path) {
    Map<String, Map<String, Object>> volumes = volumes(c.pod());
    for (Object m : list(c.container().get("volumeMounts"))) {
      String mountPath = str(map(m).get("mountPath"));
      if (path.startsWith(mountPath + "/")
          && filesOf(volumes.getOrDefault(str(map(m).get("name")), Map.of())).contains(path.substring(mountPath.length() + 1))) {
        return true;
      }
    }
    return false;
  }

  /** The file names a Secret or ConfigMap volume shows: its items if listed, else every key. */
  private Set<String> filesOf(Map<String, Object> volume) {
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
    return files;
  }

  static String name(Map<String, Object> object) {
    return str(map(object.get("metadata")).get("name"));
  }

  static Map<String, Object> podTemplateMetadata(Map<String, Object> workload) {
    return map(map(map(workload.get("spec")).get("template")).get("metadata"));
  }

  static Map<String, Object> podTemplateLabels(Map<String, Object> workload) {
    return map(podTemplateMetadata(workload).get("labels"));
  }

  static Map<String, Object> podSpec(Map<String, Object> workload) {
    return map(map(map(workload.get("spec")).get("template")).get("spec"));
  }

  /** The first container of the workload's pod. */
  static Map<String, Object> firstContainer(Map<String, Object> workload) {
    return map(list(podSpec(workload).get("containers")).get(0));
  }

  /** Whether a non-empty label selector selects pods with these labels. */
  static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
    return !selector.isEmpty() && selector.entrySet().stream()
        .allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))));
  }

  /** A port given as a number or as the name of one of the container's ports; -1 if neither. */
  static int containerPort(Map<String, Object> container, Object port) {
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

  /** The container's env entries by name; those set from a reference have a null value. */
  static Map<String, String> literalEnv(Map<String, Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object e : list(container.get("env"))) {
      env.put(str(map(e).get("name")), str(map(e).get("value")));
    }
    return env;
  }

  /** The variable's value, failing the test if it is not set. */
  static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    assertNotNull(value, name + " is set");
    return value;
  }
}
