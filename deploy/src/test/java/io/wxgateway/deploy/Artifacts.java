package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where the deploy artifacts are and how the tests read them: YAML documents as plain maps and
 * lists (navigated with {@link #map}, {@link #list} and {@link #str}, which forgive a missing key),
 * the dashboard as JSON. Checks collect their findings as "problems" and report them all at once.
 */
final class Artifacts {

  /** The tests run in deploy/: the repository root is its parent. */
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path DEPLOY = REPO.resolve("deploy");
  static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
  static final Path COMPOSE = DEPLOY.resolve("compose/docker-compose.yml");
  static final Path K8S = DEPLOY.resolve("k8s");
  static final Path DASHBOARD = DEPLOY.resolve("grafana/wx-gateway-dashboard.json");
  static final Path ALERTS = DEPLOY.resolve("prometheus/alerts.yml");

  private Artifacts() {
  }

  /** Every document of a YAML file; a file that does not parse fails the test, naming the file. */
  static List<Object> yamlDocuments(Path file) {
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

  /** The first document of a YAML file, as a map. */
  static Map<String, Object> yaml(Path file) {
    return map(yamlDocuments(file).get(0));
  }

  static JsonObject dashboard() throws IOException {
    return new JsonObject(Files.readString(DASHBOARD));
  }

  /** The object as a map, or an empty map if it is not one (a missing key, say). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The object as a list, or an empty list if it is not one. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    return o instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** The object as text, null staying null. */
  static String str(Object o) {
    return o == null ? null : String.valueOf(o);
  }

  static void assertNoProblems(List<String> problems) {
    if (!problems.isEmpty()) {
      fail(problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
    }
  }
}
