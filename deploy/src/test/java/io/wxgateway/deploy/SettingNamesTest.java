package io.wxgateway.deploy;

import static io.wxgateway.deploy.Artifacts.assertNoProblems;
import static io.wxgateway.deploy.Artifacts.list;
import static io.wxgateway.deploy.Artifacts.map;
import static io.wxgateway.deploy.Artifacts.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonObject;
import io.wxgateway.deploy.Manifests.WxContainer;
import org.junit.jupiter.api.Test;

/** The compose stack and the Kubernetes manifests configure nodes only with settings the launcher really reads. */
class SettingNamesTest {

  @Test
  void everyWxgwVariableOfTheComposeNodesIsASetting() {
    Map<String, Object> services = Compose.services();
    List<String> problems = new ArrayList<>();
    for (String node : Compose.NODE_ROLES.keySet()) {
      Set<String> names = Compose.environment(map(services.get(node))).keySet();
      SettingNames.checkEnvironmentNames("compose " + node, names, problems);
    }
    assertNoProblems(problems);
  }

  @Test
  void everyWxgwVariableOfTheKubernetesContainersIsASetting() throws IOException {
    List<String> problems = new ArrayList<>();
    for (WxContainer c : Manifests.read().wxContainers()) {
      List<String> names = list(c.container().get("env")).stream().map(e -> str(map(e).get("name")))
          .filter(n -> n.startsWith("WXGW_")).toList();
      SettingNames.checkEnvironmentNames("k8s " + c.where(), names, problems);
    }
    assertNoProblems(problems);
  }

  /** The check above can fail: a misspelled or unknown variable is reported, and a coming-soon one once its section exists. */
  @Test
  void aMisspelledOrUnknownVariableIsReported() {
    List<String> problems = new ArrayList<>();
    SettingNames.checkEnvironmentNames("test", List.of("WXGW_GATEWAY_PORT", "WXGW_KAFKA_PROPERTY_LINGER_MS",
        "WXGW_LOG_LEVEL", "JAVA_OPTS", "WXGW_BOOTSTRAP_SERVERS", "WXGW_GATEWAY_PROT", "WXGW_GATEWAY_TELEPORT",
        "WXGW_WARP_DRIVE"), Set.of("WXGW_GATEWAY_TELEPORT", "WXGW_WARP_DRIVE"), problems);
    assertEquals(List.of(
        "test: WXGW_BOOTSTRAP_SERVERS is not a setting; did you mean [WXGW_KAFKA_BOOTSTRAP_SERVERS]?",
        "test: WXGW_GATEWAY_PROT is not a setting (see wx-gateway --help)",
        "test: WXGW_GATEWAY_TELEPORT is not a setting, although the launcher now has a WXGW_GATEWAY_* section: "
            + "rename it to the real setting"), problems);
  }

  @Test
  void theConfigMapsConfigFileLoadsAndUsesOnlyRealKeys() throws IOException {
    Map<String, Object> configMap = Manifests.read().ofKind("ConfigMap").stream()
        .filter(c -> map(c.get("data")).containsKey("config.yaml")).findFirst().orElseThrow();
    Path file = Files.createTempFile("wx-config", ".yaml");
    try {
      Files.writeString(file, str(map(configMap.get("data")).get("config.yaml")));
      List<String> problems = new ArrayList<>();
      SettingNames.checkConfigKeys("", ConfigLoader.readYaml(file), WxConfig.defaults(), problems);
      assertNoProblems(problems);
      WxConfig config = ConfigLoader.load(file, Map.of("WXGW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092"));
      assertEquals(8080, config.gateway.getPort());
      assertEquals(9090, config.managementPort);
      assertEquals("kafka:9092", config.kafka.getBootstrapServers());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void aConfigKeyThatIsNoSettingIsReportedWithItsPath() {
    List<String> problems = new ArrayList<>();
    JsonObject yaml = new JsonObject().put("gateway", new JsonObject().put("prot", 8080).put("port", 8080))
        .put("kafka", new JsonObject().put("properties", new JsonObject().put("linger.ms", 5)));
    SettingNames.checkConfigKeys("", yaml, WxConfig.defaults(), problems);
    assertEquals(List.of("config.yaml: gateway.prot is not a setting"), problems);
  }
}
