package io.wxgateway.common.options;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * Where Kafka is and what the topics are called, {@code kafka}. Kafka client properties in
 * {@link #getProperties()} (empty by default) pass through untouched to every producer and consumer
 * (SASL, SSL, timeouts ...) and win over the defaults set here. Topic names must not be empty.
 */
@DataObject
@JsonGen(publicConverter = false)
public class KafkaOptions {

  /** Empty: no broker is configured, so the launcher starts the embedded development broker. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "";
  public static final String DEFAULT_INBOUND_TOPIC = "wx.inbound";
  public static final String DEFAULT_OUTBOUND_TOPIC = "wx.outbound";
  public static final String DEFAULT_DEAD_LETTER_TOPIC = "wx.undelivered";
  /** Where the gateway writes one record per push a session client acknowledged (docs/sessions.md). */
  public static final String DEFAULT_RECEIPTS_TOPIC = "wx.receipts";
  /** Partitions of the topics the launcher creates when they are missing; at least 1. */
  public static final int DEFAULT_TOPIC_PARTITIONS = 8;
  /**
   * The consumers' {@code fetch.max.wait.ms} (Kafka's own default is 500), in ms: the longest a
   * record can wait for a fetch still held by the broker; {@code kafka.properties} can set another.
   */
  public static final int CONSUMER_FETCH_MAX_WAIT_MS = 20;

  private String bootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
  private String inboundTopic = DEFAULT_INBOUND_TOPIC;
  private String outboundTopic = DEFAULT_OUTBOUND_TOPIC;
  private String deadLetterTopic = DEFAULT_DEAD_LETTER_TOPIC;
  private String receiptsTopic = DEFAULT_RECEIPTS_TOPIC;
  private int topicPartitions = DEFAULT_TOPIC_PARTITIONS;
  private Map<String, String> properties = new LinkedHashMap<>();

  public KafkaOptions() {
  }

  /** A copy as it is, checked or not. */
  public KafkaOptions(KafkaOptions other) {
    KafkaOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public KafkaOptions(JsonObject json) {
    KafkaOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    KafkaOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting. */
  public KafkaOptions validate() {
    OptionsValidator.validate(this);
    return this;
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
   * Consumer settings: manual commits, start at the earliest offset when the group is new, a broker
   * wait of at most {@value #CONSUMER_FETCH_MAX_WAIT_MS} ms per fetch (see below), the OS's auto-tuned
   * socket buffers; user properties win.
   *
   * <p>Why the short wait: a consumer does not fetch a partition whose records it still holds from
   * the last fetch (a burst above {@code max.poll.records}), so its next request names only the other
   * partitions; when those are idle the broker holds that request for {@code fetch.max.wait.ms}, and
   * no other fetch goes to the broker until it returns. With Kafka's 500 ms every record arriving on
   * the busy partition meanwhile waited up to half a second (bench fanout by user, 2 partitions:
   * p50 500 ms). The cost of a short wait is an idle consumer's empty fetch every that many ms.
   */
  public Map<String, String> consumerConfig(String groupId, String clientId) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("group.id", groupId);
    config.put("client.id", clientId);
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("fetch.max.wait.ms", String.valueOf(CONSUMER_FETCH_MAX_WAIT_MS));
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

  @GenIgnore
  public boolean isBootstrapConfigured() {
    return bootstrapServers != null && !bootstrapServers.isBlank();
  }

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public KafkaOptions setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = Values.text(bootstrapServers);
    return this;
  }

  public String getInboundTopic() {
    return inboundTopic;
  }

  public KafkaOptions setInboundTopic(String inboundTopic) {
    this.inboundTopic = Values.text(inboundTopic);
    return this;
  }

  public String getOutboundTopic() {
    return outboundTopic;
  }

  public KafkaOptions setOutboundTopic(String outboundTopic) {
    this.outboundTopic = Values.text(outboundTopic);
    return this;
  }

  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  public KafkaOptions setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = Values.text(deadLetterTopic);
    return this;
  }

  public String getReceiptsTopic() {
    return receiptsTopic;
  }

  public KafkaOptions setReceiptsTopic(String receiptsTopic) {
    this.receiptsTopic = Values.text(receiptsTopic);
    return this;
  }

  public int getTopicPartitions() {
    return topicPartitions;
  }

  public KafkaOptions setTopicPartitions(int topicPartitions) {
    this.topicPartitions = topicPartitions;
    return this;
  }

  public Map<String, String> getProperties() {
    return properties;
  }

  public KafkaOptions setProperties(Map<String, String> properties) {
    this.properties = Values.map(properties);
    return this;
  }

  public KafkaOptions putProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }
}
