package io.wxgateway.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The settings of a runtime the bench starts, in the WXGW_* variables an operator sets. */
final class RuntimeSettings {

  private RuntimeSettings() {
  }

  /**
   * The configuration of an in-process (or child) runtime, as an operator would write it: this run's
   * topics and Kafka, the per-socket rate limits off (they are per phone, a benchmark socket is a
   * thousand phones), no per-user cap, and whatever {@code --env} adds.
   */
  static Map<String, String> of(Environment e, String nodeId, String roles, boolean echo, int port, Integer managementPort) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("WXGW_KAFKA_BOOTSTRAP_SERVERS", e.bootstrap);
    env.put("WXGW_KAFKA_INBOUND_TOPIC", e.kafka.getInboundTopic());
    env.put("WXGW_KAFKA_OUTBOUND_TOPIC", e.kafka.getOutboundTopic());
    env.put("WXGW_KAFKA_DEAD_LETTER_TOPIC", e.kafka.getDeadLetterTopic());
    env.put("WXGW_KAFKA_TOPIC_PARTITIONS", Integer.toString(e.options.integer("partitions")));
    env.put("WXGW_NODE_ROLES", roles);
    env.put("WXGW_GATEWAY_NODE_ID", nodeId);
    env.put("WXGW_GATEWAY_HOST", "127.0.0.1");
    env.put("WXGW_GATEWAY_PORT", Integer.toString(port));
    env.put("WXGW_MANAGEMENT_HOST", "127.0.0.1");
    env.put("WXGW_MANAGEMENT_PORT", managementPort == null ? "0" : managementPort.toString());
    env.put("WXGW_BRIDGE_GROUP_ID", bridgeGroup(e.runId));
    env.put("WXGW_GATEWAY_SOCKET_MESSAGES_PER_SECOND", "0");
    env.put("WXGW_GATEWAY_SOCKET_BYTES_PER_SECOND", "0");
    env.put("WXGW_GATEWAY_SOCKET_MAX_PER_USER", "0");
    env.put("WXGW_GATEWAY_SOCKET_MAX_OUTBOUND_BYTES", Integer.toString(16 * 1024 * 1024));
    env.put("WXGW_DEMO_ECHO", Boolean.toString(echo));
    if (e.tokens != null) {
      e.tokens.configure(env);
    }
    env.putAll(e.options.env());
    return env;
  }

  /** The consumer group of the run's bridges. */
  static String bridgeGroup(String runId) {
    return "bench-" + runId + "-bridge";
  }
}
