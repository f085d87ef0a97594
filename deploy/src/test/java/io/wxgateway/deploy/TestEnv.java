package io.wxgateway.deploy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.process.Ports;

/**
 * The WXGW_* environment a test gives a node, the way an operator would configure one: for an
 * in-process {@link WxRuntime} through {@link ConfigLoader}, or for a child JVM as its environment.
 *
 * <pre>{@code
 * Map<String, String> env = TestEnv.singleNode(port).with("WXGW_DEMO_ECHO", "true").build();
 * TestNode node = TestNode.start(TestEnv.singleNode().with("WXGW_DEMO_ECHO", "true"));
 * }</pre>
 */
final class TestEnv {

  private final Map<String, String> env = new LinkedHashMap<>();

  private TestEnv() {
  }

  /** {@link #node(int)} on a free port. */
  static TestEnv node() {
    return node(freePort());
  }

  /** A gateway on 127.0.0.1:{@code gatewayPort}, the management server on a free port; Kafka left to {@link #with}. */
  static TestEnv node(int gatewayPort) {
    return new TestEnv()
        .with("WXGW_GATEWAY_HOST", "127.0.0.1")
        .with("WXGW_GATEWAY_PORT", Integer.toString(gatewayPort))
        .with("WXGW_MANAGEMENT_PORT", "0");
  }

  /** {@link #singleNode(int)} on a free port. */
  static TestEnv singleNode() {
    return singleNode(freePort());
  }

  /** {@link #node(int)}, on the shared test broker, with topics and a bridge consumer group of its own. */
  static TestEnv singleNode(int gatewayPort) {
    return node(gatewayPort)
        .with("WXGW_KAFKA_BOOTSTRAP_SERVERS", KafkaTestBroker.bootstrapServers())
        .topics(KafkaTestBroker.uniqueTopic("in"), KafkaTestBroker.uniqueTopic("out"),
            KafkaTestBroker.uniqueTopic("dlq"))
        .with("WXGW_BRIDGE_GROUP_ID", KafkaTestBroker.uniqueTopic("bridge"));
  }

  /** Adds a setting, or replaces the value already there. */
  TestEnv with(String name, String value) {
    env.put(name, value);
    return this;
  }

  TestEnv topics(String inbound, String outbound, String deadLetters) {
    return with("WXGW_KAFKA_INBOUND_TOPIC", inbound)
        .with("WXGW_KAFKA_OUTBOUND_TOPIC", outbound)
        .with("WXGW_KAFKA_DEAD_LETTER_TOPIC", deadLetters);
  }

  int gatewayPort() {
    return Integer.parseInt(env.get("WXGW_GATEWAY_PORT"));
  }

  Map<String, String> build() {
    return Map.copyOf(env);
  }

  /** The configuration the launcher makes of this environment, without a config file. */
  WxConfig config() throws IOException {
    return ConfigLoader.load(null, build());
  }

  /** {@link Ports#free()}, under the name the deploy tests and cluster fixtures know. */
  static int freePort() {
    return Ports.free();
  }

  /** {@code count} distinct ports that were free a moment ago: {@link Ports#free(int)}. */
  static List<Integer> freePorts(int count) {
    return Ports.free(count);
  }
}
