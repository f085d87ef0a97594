package io.wxgateway.common.options;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * Where Kafka is and what the topics are called. Kafka client properties in {@link #getProperties()}
 * pass through untouched to every producer and consumer (SASL, SSL, timeouts ...) and win over the
 * defaults set here.
 */
public class KafkaOptions {

  /** Empty: no broker is configured, so the launcher starts the embedded development broker. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "";
  public static final String DEFAULT_INBOUND_TOPIC = "wx.inbound";
  public static final String DEFAULT_OUTBOUND_TOPIC = "wx.outbound";
  public static final String DEFAULT_DEAD_LETTER_TOPIC = "wx.undelivered";
  /** Partitions of the topics the launcher creates when they are missing. */
  public static final int DEFAULT_TOPIC_PARTITIONS = 8;

  private String bootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
  private String inboundTopic = DEFAULT_INBOUND_TOPIC;
  private String outboundTopic = DEFAULT_OUTBOUND_TOPIC;
  private String deadLetterTopic = DEFAULT_DEAD_LETTER_TOPIC;
  private int topicPartitions = DEFAULT_TOPIC_PARTITIONS;
  private Map<String, String> properties = new LinkedHashMap<>();

  public KafkaOptions() {
  }

  public KafkaOptions(KafkaOptions other) {
    this.bootstrapServers = other.bootstrapServers;
    this.inboundTopic = other.inboundTopic;
    this.outboundTopic = other.outboundTopic;
    this.deadLetterTopic = other.deadLetterTopic;
    this.topicPartitions = other.topicPartitions;
    this.properties = new LinkedHashMap<>(other.properties);
  }

  public KafkaOptions(JsonObject json) {
    this();
    bootstrapServers = json.getString("bootstrapServers", DEFAULT_BOOTSTRAP_SERVERS);
    inboundTopic = json.getString("inboundTopic", DEFAULT_INBOUND_TOPIC);
    outboundTopic = json.getString("outboundTopic", DEFAULT_OUTBOUND_TOPIC);
    deadLetterTopic = json.getString("deadLetterTopic", DEFAULT_DEAD_LETTER_TOPIC);
    setTopicPartitions(json.getInteger("topicPartitions", DEFAULT_TOPIC_PARTITIONS));
    JsonObject props = json.getJsonObject("properties", new JsonObject());
    props.forEach(e -> properties.put(e.getKey(), String.valueOf(e.getValue())));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("bootstrapServers", bootstrapServers)
        .put("inboundTopic", inboundTopic)
        .put("outboundTopic", outboundTopic)
        .put("deadLetterTopic", deadLetterTopic)
        .put("topicPartitions", topicPartitions)
        .put("properties", new JsonObject(new HashMap<>(properties)));
  }

  /**
   * Producer settings: idempotent, {@code acks=all}, a short linger for batching, the OS's
   * auto-tuned socket buffers (see {@link #socketBuffers}); user properties win. Keys are Strings,
   * values raw bytes.
   */
  public Map<String, String> producerConfig(String clientId) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("client.id", clientId);
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    config.put("linger.ms", "1");
    socketBuffers(config);
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    config.putAll(properties);
    return config;
  }

  /**
   * Consumer settings: manual commits, start at the earliest offset when the group is new, the OS's
   * auto-tuned socket buffers; user properties win.
   */
  public Map<String, String> consumerConfig(String groupId, String clientId) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", groupId);
    config.put("client.id", clientId);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    socketBuffers(config);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    config.putAll(properties);
    return config;
  }

  /**
   * Kafka clients fix their socket buffers (32 KB send for a producer, 64 KB receive for a consumer),
   * which turns off the kernel's auto-tuning; a burst that overflows a fixed receive buffer is dropped
   * and retransmitted after at least 200 ms, which the relay's p99 showed. -1: the OS decides.
   */
  private static void socketBuffers(Map<String, String> config) {
    config.put("send.buffer.bytes", "-1");
    config.put("receive.buffer.bytes", "-1");
  }

  public boolean isBootstrapConfigured() {
    return bootstrapServers != null && !bootstrapServers.isBlank();
  }

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public KafkaOptions setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers == null ? "" : bootstrapServers;
    return this;
  }

  public String getInboundTopic() {
    return inboundTopic;
  }

  public KafkaOptions setInboundTopic(String inboundTopic) {
    this.inboundTopic = requireTopic(inboundTopic);
    return this;
  }

  public String getOutboundTopic() {
    return outboundTopic;
  }

  public KafkaOptions setOutboundTopic(String outboundTopic) {
    this.outboundTopic = requireTopic(outboundTopic);
    return this;
  }

  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  public KafkaOptions setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = requireTopic(deadLetterTopic);
    return this;
  }

  public int getTopicPartitions() {
    return topicPartitions;
  }

  public KafkaOptions setTopicPartitions(int topicPartitions) {
    if (topicPartitions < 1) {
      throw new IllegalArgumentException("kafka.topicPartitions must be at least 1, was " + topicPartitions);
    }
    this.topicPartitions = topicPartitions;
    return this;
  }

  public Map<String, String> getProperties() {
    return properties;
  }

  public KafkaOptions setProperties(Map<String, String> properties) {
    this.properties = new LinkedHashMap<>(properties);
    return this;
  }

  public KafkaOptions putProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }

  private static String requireTopic(String topic) {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a topic name must not be empty");
    }
    return topic;
  }
}
