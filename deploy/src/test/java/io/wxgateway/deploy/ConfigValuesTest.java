package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every value, from YAML or the environment, becomes its default's type or is refused naming the
 * setting; then every rule is checked at load, with messages that name the setting by its path.
 */
class ConfigValuesTest {

  @TempDir
  Path dir;

  @Test
  void valuesOfAnotherTypeBecomeTheSettingsType() throws Exception {
    WxConfig c = ConfigLoader.load(yaml("""
        kafka:
          bootstrapServers: k:9092
          topicPartitions: "3"
          properties:
            linger.ms: 5
        gateway:
          port: "9000"
          heartbeatRequest:
          socket:
            lifetimeJitter: 0
          handshake:
            appIds: wxa, wxb
        cluster:
          members: gw-1, gw-2:5801
          properties:
            hazelcast.operation.call.timeout.millis: 30000
        """), Map.of("WXGW_GATEWAY_AUTH_LEEWAY_SECONDS", "7"));
    assertEquals(3, c.kafka.getTopicPartitions());
    assertEquals("5", c.kafka.producerConfig("x").get("linger.ms"), "a number in properties passes as its text");
    assertEquals(9000, c.gateway.getPort(), "a quoted number is the number, not dropped");
    assertEquals("", c.gateway.getHeartbeatRequest(), "an empty YAML value is empty text: the heartbeat is off");
    assertEquals(0.0, c.gateway.getSocket().getLifetimeJitter());
    assertEquals(List.of("wxa", "wxb"), c.gateway.getHandshake().getAppIds(), "a comma-separated text is a list");
    assertEquals(List.of("gw-1", "gw-2:5801"), c.cluster.getMembers());
    assertEquals("30000", c.cluster.getProperties().get("hazelcast.operation.call.timeout.millis"));
    assertEquals(7, c.gateway.getAuth().getLeewaySeconds());
  }

  /** A fraction from the environment: before, the text reached the options and failed as a ClassCastException. */
  @Test
  void aFractionFromTheEnvironment() throws Exception {
    WxConfig c = ConfigLoader.load(null, Map.of("WXGW_GATEWAY_SOCKET_LIFETIME_JITTER", "0.35"));
    assertEquals(0.35, c.gateway.getSocket().getLifetimeJitter());
  }

  /** The session settings the cluster tests set, and the receipts topic, come from the environment. */
  @Test
  void sessionSettingsFromTheEnvironment() throws Exception {
    WxConfig c = ConfigLoader.load(null, Map.of("WXGW_GATEWAY_SESSION_RESUME_WINDOW_MS", "4000",
        "WXGW_GATEWAY_SESSION_REPLAY_TIMEOUT_MS", "1500", "WXGW_KAFKA_RECEIPTS_TOPIC", "receipts-x"));
    assertEquals(4000, c.gateway.getSession().getResumeWindowMs());
    assertEquals(1500, c.gateway.getSession().getReplayTimeoutMs());
    assertEquals("receipts-x", c.kafka.getReceiptsTopic());
    refused("gateway.session.resumeWindowMs must be >= 1, got 0", null, "WXGW_GATEWAY_SESSION_RESUME_WINDOW_MS", "0");
  }

  @Test
  void aBadValueIsRefusedAtLoadNamingTheSetting() throws Exception {
    refused("gateway.auth.leewaySeconds must be >= 0, got -1", null, "WXGW_GATEWAY_AUTH_LEEWAY_SECONDS", "-1");
    refused("bridge.pollTimeoutMs must be >= 1, got 0", null, "WXGW_BRIDGE_POLL_TIMEOUT_MS", "0");
    refused("gateway.socket.maxOutboundBytes must be >= 1, got 0", null, "WXGW_GATEWAY_SOCKET_MAX_OUTBOUND_BYTES", "0");
    refused("cluster.port must be 1..65535, got 0", null, "WXGW_CLUSTER_PORT", "0");
    refused("drain.deadlineMs must be >= 1, got 0", null, "WXGW_DRAIN_DEADLINE_MS", "0");
    refused("management.port must be 0..65535, got 99999", null, "WXGW_MANAGEMENT_PORT", "99999");
    refused("gateway.handshake.requireSubprotocol (WXGW_GATEWAY_HANDSHAKE_REQUIRE_SUBPROTOCOL) must be true or false, "
        + "got 'yes'", null, "WXGW_GATEWAY_HANDSHAKE_REQUIRE_SUBPROTOCOL", "yes");
    refused("gateway.port must be a whole number, got 'eighty'", yaml("gateway:\n  port: eighty\n"));
    refused("gateway.maxMessageBytes must be a whole number of at most 2147483647, got '4294967296'",
        yaml("gateway:\n  maxMessageBytes: 4294967296\n"));
    refused("gateway.socket must be a section (a mapping of settings), got '5'", yaml("gateway:\n  socket: 5\n"));
    refused("kafka.topicPartitions must be >= 1, got 0", yaml("kafka:\n  topicPartitions: 0\n"));
    refused("gateway.auth.mode must be one of anonymous, jwt, got 'oauth'", yaml("gateway:\n  auth:\n    mode: OAuth\n"));
  }

  private Path yaml(String text) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "wx", ".yaml"), text);
  }

  private static void refused(String expected, Path file, String... env) {
    Map<String, String> vars = env.length == 0 ? Map.of() : Map.of(env[0], env[1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(file, vars));
    assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + e.getMessage());
  }
}
