package io.wxgateway.common.options;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rules live in OptionsValidator; the JSON constructors (what the launcher builds the options with)
 * and validate() run them, and every refusal names the setting by its configuration path and shows the value.
 */
class OptionsValidatorTest {

  @Test
  void aBadValueIsRefusedWithItsPathAndValue() {
    refused("gateway.auth.leewaySeconds must be >= 0, got -1",
        () -> new GatewayOptions(new JsonObject().put("auth", new JsonObject().put("leewaySeconds", -1))));
    refused("gateway.auth.verifiedTokens must be >= 0, got -1",
        () -> new GatewayOptions(new JsonObject().put("auth", new JsonObject().put("verifiedTokens", -1))));
    refused("gateway.port must be 0..65535, got 70000", () -> new GatewayOptions(new JsonObject().put("port", 70000)));
    refused("gateway.path must start with '/', got 'ws'", () -> new GatewayOptions(new JsonObject().put("path", "ws")));
    refused("gateway.nodeId must be 1 to 64 characters", () -> new GatewayOptions(new JsonObject().put("nodeId", "a.b")));
    refused("gateway.socket.lifetimeJitter must be >= 0 and < 1, got 1.0",
        () -> new SocketOptions(new JsonObject().put("lifetimeJitter", 1.0)));
    refused("gateway.socket.userCapPolicy must be one of close-oldest, reject-new, got 'newest'",
        () -> new SocketOptions(new JsonObject().put("userCapPolicy", "NEWEST")));
    refused("gateway.handshake.timeoutMs must be >= 1, got 0",
        () -> new HandshakeOptions(new JsonObject().put("timeoutMs", 0)));
    refused("gateway.tls.certFile and gateway.tls.keyFile go together",
        () -> new TlsOptions(new JsonObject().put("certFile", "c.pem")));
    refused("kafka.inboundTopic must not be empty", () -> new KafkaOptions(new JsonObject().put("inboundTopic", " ")));
    refused("kafka.topicPartitions must be >= 1, got 0", () -> new KafkaOptions(new JsonObject().put("topicPartitions", 0)));
    refused("bridge.pollTimeoutMs must be >= 1, got 0", () -> new BridgeOptions(new JsonObject().put("pollTimeoutMs", 0)));
    refused("cluster.memberTimeoutSeconds must be >= 2, got 1",
        () -> new ClusterOptions(new JsonObject().put("memberTimeoutSeconds", 1)));
    refused("cluster.heartbeatIntervalSeconds must be < cluster.memberTimeoutSeconds (10), got 10",
        () -> new ClusterOptions(new JsonObject().put("heartbeatIntervalSeconds", 10)));
  }

  /** Setters store what they are given, so rules across settings see the final values; validate() judges. */
  @Test
  void settersNeverRefuseValidateDoes() {
    ClusterOptions cluster = assertDoesNotThrow(() -> new ClusterOptions().setMemberTimeoutSeconds(1)
        .setHeartbeatIntervalSeconds(0).setMemberTimeoutSeconds(4));
    assertDoesNotThrow(cluster::validate, "the interim value 1 was never judged");
    refused("choose one way to find cluster members",
        () -> new ClusterOptions().setMembers(List.of("a")).setMulticast(true).validate());
    GatewayOptions gateway = new GatewayOptions().setMaxMessageBytes(0);
    refused("gateway.maxMessageBytes must be >= 1, got 0", gateway::validate);
    refused("gateway.auth.secret must be at least 32 bytes",
        () -> new GatewayOptions().setAuth(new AuthOptions().setMode("jwt").setSecret("short")).validate());
  }

  @Test
  void theDefaultsAndTheSamplesKeepEveryRule() {
    assertDoesNotThrow(() -> {
      new GatewayOptions().validate();
      new KafkaOptions().validate();
      new BridgeOptions().validate();
      new ClusterOptions().validate();
      OptionsSamples.gateway().validate();
      OptionsSamples.kafka().validate();
      OptionsSamples.bridge().validate();
      OptionsSamples.cluster().validate();
    });
  }

  private static void refused(String expected, Executable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
    assertEquals(true, e.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + e.getMessage());
  }
}
