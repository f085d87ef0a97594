package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.DEPLOY;
import static io.wxgateway.deploy.Artifacts.K8S;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The deploy artifacts are checked without a container engine (none runs on the CI machines): first
 * of all, every YAML and JSON file of compose/, k8s/, prometheus/ and grafana/ parses. The other
 * checks are by concern: {@link DockerfileTest}, {@link ComposeTest}, {@link KubernetesManifestsTest},
 * {@link KubernetesContainersTest}, {@link SettingNamesTest} and {@link DashboardAndAlertsTest}.
 */
class ArtifactsParseTest {

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
      List<Object> docs = Artifacts.yamlDocuments(yaml);
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
}
