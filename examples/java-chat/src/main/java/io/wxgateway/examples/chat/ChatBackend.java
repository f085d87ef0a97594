package io.wxgateway.examples.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat backend for wx-gateway in Java with plain kafka-clients: it reads what clients send from
 * wx.inbound, answers on wx.outbound (to a connection, a user or everyone; or closes a socket), and
 * watches wx.undelivered to tell a sender when a push found nobody. It never holds a socket. One
 * thread polls; the producer sends asynchronously. Settings come from the environment
 * (examples/README.md); the defaults match {@code ./wx-gateway}.
 */
public final class ChatBackend {

  private static final Logger LOG = LoggerFactory.getLogger(ChatBackend.class);

  private final Map<String, String> env;
  private final String inbound;
  private final String deadLetters;
  private final Outbound outbound;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicBoolean ready = new AtomicBoolean();

  ChatBackend(Map<String, String> env) {
    this.env = env;
    this.inbound = setting("WX_INBOUND_TOPIC", "wx.inbound");
    this.deadLetters = setting("WX_DEAD_LETTER_TOPIC", "wx.undelivered");
    this.outbound = new Outbound(setting("WX_OUTBOUND_TOPIC", "wx.outbound"));
    String brokers = setting("KAFKA_BROKERS", "127.0.0.1:9092");
    Properties consumerConfig = new Properties();
    consumerConfig.put("bootstrap.servers", brokers);
    consumerConfig.put("group.id", setting("CHAT_GROUP_ID", "chat-example-java"));
    // latest: a new group starts at the end, so old messages are not answered to sockets long gone.
    consumerConfig.put("auto.offset.reset", setting("CHAT_OFFSET_RESET", "latest"));
    // As the gateway's own consumers: Kafka's 500 ms would hold the messages after a burst that long.
    consumerConfig.put("fetch.max.wait.ms", "20");
    this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
    Properties producerConfig = new Properties();
    producerConfig.put("bootstrap.servers", brokers);
    producerConfig.put("linger.ms", "1");
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
  }

  public static void main(String[] args) {
    ChatBackend backend = new ChatBackend(System.getenv());
    Thread poller = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      backend.consumer.wakeup();
      try {
        poller.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    backend.run();
  }

  void run() {
    try (consumer; producer) {
      consumer.subscribe(List.of(inbound, deadLetters), new ReadyWhenAssigned());
      while (true) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          handle(record);
        }
        // auto-commit (the default) commits what the last poll returned: at-least-once, like the gateway's bridge
      }
    } catch (WakeupException e) {
      LOG.info("chat backend stopped");
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    try {
      if (record.topic().equals(deadLetters)) {
        onDeadLetter(record);
      } else {
        onInbound(record);
      }
    } catch (RuntimeException e) { // one odd record must not stop the backend
      LOG.warn("skipped {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
    }
  }

  private void onInbound(ConsumerRecord<String, byte[]> record) {
    String type = header(record, "ce_type");
    String connectionId = header(record, "ce_connectionid") != null ? header(record, "ce_connectionid") : record.key();
    String user = header(record, "ce_userid");
    String name = user != null ? user : connectionId;
    if ("wx.socket.open".equals(type)) {
      LOG.info("open {} user={}", connectionId, user == null ? "-" : user);
      send(outbound.text(connectionId, Commands.welcome(name)));
    } else if ("wx.socket.close".equals(type)) {
      LOG.info("closed {} {}", connectionId, new String(record.value(), StandardCharsets.UTF_8));
    } else if ("wx.socket.message".equals(type)) {
      String contentType = header(record, "content-type") == null ? Outbound.TEXT : header(record, "content-type");
      if (!contentType.startsWith("text/")) { // binary: echo the bytes back as they came
        send(outbound.bytes(connectionId, contentType, record.value()));
        return;
      }
      String text = new String(record.value(), StandardCharsets.UTF_8);
      send(outbound.of(Commands.reply(text, connectionId, name)));
    } // a backend ignores event types it does not know: the contract grows by addition
  }

  private void onDeadLetter(ConsumerRecord<String, byte[]> record) {
    String error = header(record, "ce_deliveryerror");
    String target = firstNonNull(header(record, "ce_userid"), header(record, "ce_connectionid"), "everyone");
    LOG.info("dead letter {} for {}: {}", error, target, header(record, "ce_deliverydetail"));
    String reportTo = header(record, Outbound.REPORT_TO);
    if (reportTo != null) { // the report itself carries no REPORT_TO, so a report that fails is only logged
      send(outbound.text(reportTo, Commands.undelivered(target, error)));
    }
  }

  private void send(ProducerRecord<String, byte[]> record) {
    producer.send(record, (metadata, error) -> {
      if (error != null) {
        LOG.warn("could not write to {}: {}", record.topic(), error.toString());
      }
    });
  }

  private String setting(String name, String defaultValue) {
    String value = env.get(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String firstNonNull(String... values) {
    for (String value : values) {
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /** Logs the ready line once the group has given this consumer its partitions and their positions are known. */
  private final class ReadyWhenAssigned implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      partitions.forEach(consumer::position); // resolves auto.offset.reset now: nothing sent after the ready line is skipped
      if (!partitions.isEmpty() && ready.compareAndSet(false, true)) {
        LOG.info("chat backend ready: {} -> {}, watching {}", inbound, outbound.topic(), deadLetters);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // offsets are auto-committed
    }
  }
}
