package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void zeroConfigMeansEmbeddedKafkaAndDocumentedDefaults() throws Exception {
    WxConfig c = ConfigLoader.load(null, Map.of());
    assertFalse(c.kafka.isBootstrapConfigured());
    assertEquals(8080, c.gateway.getPort());
    assertEquals("/ws", c.gateway.getPath());
    assertEquals(65536, c.gateway.getMaxMessageBytes());
    assertEquals(9090, c.managementPort);
    assertEquals(Path.of("data", "kafka"), c.embeddedKafka.getDataDir());
    assertEquals("wx.inbound", c.kafka.getInboundTopic());
  }

  @Test
  void yamlThenEnvironmentWithKafkaPropertiesPassedThrough(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("wx.yaml");
    Files.writeString(file, """
        kafka:
          bootstrapServers: broker-1:9092,broker-2:9092
          properties:
            security.protocol: SASL_SSL
        gateway:
          port: 9000
          maxMessageBytes: 1024
        bridge:
          deliveryTimeoutMs: 2500
        """);
    WxConfig c = ConfigLoader.load(file, Map.of("WXGW_GATEWAY_PORT", "9001",
        "WXGW_KAFKA_PROPERTY_SASL_MECHANISM", "SCRAM-SHA-512", "WXGW_DEMO_ECHO", "true"));
    assertEquals("broker-1:9092,broker-2:9092", c.kafka.getBootstrapServers());
    assertEquals(9001, c.gateway.getPort(), "the environment wins over the file");
    assertEquals(1024, c.gateway.getMaxMessageBytes());
    assertEquals(2500, c.bridge.getDeliveryTimeoutMs());
    assertEquals("SASL_SSL", c.kafka.producerConfig("x").get("security.protocol"));
    assertEquals("SCRAM-SHA-512", c.kafka.consumerConfig("g", "x").get("sasl.mechanism"));
    assertTrue(c.demoEcho);
  }

  @Test
  void theBridgeSessionSettingsComeFromTheEnvironment() throws Exception {
    WxConfig c = ConfigLoader.load(null, Map.of("WXGW_BRIDGE_HELD_GRACE_MS", "250",
        "WXGW_BRIDGE_HISTORY_MAX_BYTES", "0", "WXGW_BRIDGE_HISTORY_MAX_AGE_MS", "1000",
        "WXGW_BRIDGE_HISTORY_REBUILD", "false"));
    assertEquals(250, c.bridge.getHeldGraceMs());
    assertEquals(0, c.bridge.getHistoryMaxBytes());
    assertEquals(1000, c.bridge.getHistoryMaxAgeMs());
    assertFalse(c.bridge.isHistoryRebuild());
  }

  @Test
  void theProductionExampleLoadsWithEveryNestedSection() throws Exception {
    WxConfig c = ConfigLoader.load(Path.of("examples/production.yaml"),
        Map.of("WXGW_GATEWAY_HANDSHAKE_APP_IDS", "wxa, wxb", "WXGW_GATEWAY_SOCKET_MAX_PER_USER", "3"));
    assertTrue(c.gateway.getTls().isEnabled());
    assertTrue(c.gateway.getAuth().isJwt());
    assertEquals("RS256", c.gateway.getAuth().getAlgorithm());
    assertEquals(java.util.List.of("wxa", "wxb"), c.gateway.getHandshake().getAppIds(), "lists from the environment");
    assertEquals(3, c.gateway.getSocket().getMaxPerUser());
    assertEquals(java.util.List.of("10.0.0.0/8"), c.gateway.getHandshake().getTrustedProxies());
  }

  @Test
  void badValuesAreRefusedWithTheirName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.load(null, Map.of("WXGW_GATEWAY_PORT", "eighty")));
    assertTrue(e.getMessage().contains("WXGW_GATEWAY_PORT"), e.getMessage());
    IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.load(null, Map.of("WXGW_GATEWAY_PATH", "ws")));
    assertTrue(path.getMessage().contains("gateway.path"), path.getMessage());
  }

  @Test
  void helpListsEverySettingWithItsEnvironmentVariable() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Launcher.printHelp(new PrintStream(out, true, StandardCharsets.UTF_8));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String expected : new String[] {"gateway.port", "WXGW_GATEWAY_PORT", "kafka.bootstrapServers",
        "WXGW_KAFKA_BOOTSTRAP_SERVERS", "bridge.deliveryTimeoutMs", "WXGW_EMBEDDED_KAFKA_DATA_DIR", "--demo-echo"}) {
      assertTrue(help.contains(expected), expected);
    }
  }
}
