package io.wxgateway.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.wxgateway.common.process.Ports;
import io.wxgateway.kafka.embedded.EmbeddedKafkaBroker;
import io.wxgateway.kafka.embedded.EmbeddedKafkaOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One real Kafka broker (KRaft) per test JVM, started on first use and stopped at JVM exit, plus
 * blocking helpers for tests. Call these helpers from test threads only, never from an event loop.
 * Tests isolate themselves with {@link #uniqueTopic(String)} names.
 *
 * <p>The broker is the project's own Kafka (in-process), unless the system property
 * {@value #OTHER_BROKER_CLASS_PATH} names the class path of another broker version: then that
 * broker runs in a child JVM (how deploy's "kafka4" test run checks the gateway against Kafka 4.x).
 */
public final class KafkaTestBroker {

  /** System property: a directory of jars of another Kafka broker to test against. */
  public static final String OTHER_BROKER_CLASS_PATH = "wx.test.kafka.brokerClassPath";

  private static String bootstrapServers;

  private KafkaTestBroker() {
  }

  /** {@code bootstrap.servers} of the shared broker, starting it on first call. */
  public static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      Path dir = tempDir();
      String otherBroker = System.getProperty(OTHER_BROKER_CLASS_PATH, "");
      AutoCloseable broker;
      if (otherBroker.isBlank()) {
        List<Integer> ports = Ports.free(2);
        EmbeddedKafkaBroker embedded = new EmbeddedKafkaBroker(new EmbeddedKafkaOptions()
            .setDataDir(dir).setPort(ports.get(0)).setControllerPort(ports.get(1))).start();
        bootstrapServers = embedded.bootstrapServers();
        broker = embedded;
      } else {
        ChildKafkaBroker child = ChildKafkaBroker.start(Path.of(otherBroker), dir);
        bootstrapServers = child.bootstrapServers();
        broker = child;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        closeQuietly(broker);
        deleteRecursively(dir);
      }, "kafka-test-broker-shutdown"));
    }
    return bootstrapServers;
  }

  private static void closeQuietly(AutoCloseable broker) {
    try {
      broker.close();
    } catch (Exception e) {
      // best effort at JVM exit
    }
  }

  /** A topic name no other test uses. */
  public static String uniqueTopic(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates the topics (with {@code partitions} partitions each) and waits for them. */
  public static void createTopics(int partitions, String... topics) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String topic : topics) {
        newTopics.add(new NewTopic(topic, partitions, (short) 1));
      }
      admin.createTopics(newTopics).all().get();
      io.wxgateway.common.TopicReadiness.await(admin, List.of(topics), java.time.Duration.ofSeconds(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics", e);
    }
  }

  /** A producer of String keys and byte[] values; close it after use. */
  public static KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("acks", "all");
    // One request at a time: right after a topic is created its first produce can be refused
    // (NOT_LEADER_OR_FOLLOWER), and with several batches in flight the idempotent producer's retry was
    // then seen refused as out of order, again and again (seen with Kafka 3.9.1 on a busy machine).
    p.put("max.in.flight.requests.per.connection", "1");
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends every record, in order, and waits until all are acknowledged. */
  public static void sendAll(List<ProducerRecord<String, byte[]>> records) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  /** The sum of the offsets {@code group} has committed, over every partition: records consumed and committed. */
  public static long committed(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
          .mapToLong(org.apache.kafka.clients.consumer.OffsetAndMetadata::offset).sum();
    }
  }

  /** Sends and waits for the acknowledgement. */
  public static void send(ProducerRecord<String, byte[]> record) {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("send failed", e);
    }
  }

  /** A consumer of the topics from their beginning, in a fresh group; close it after use. */
  public static KafkaConsumer<String, byte[]> consumer(Collection<String> topics) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers());
    p.put("group.id", "test-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "false");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(topics);
    return consumer;
  }

  /**
   * Polls {@code topic} from its beginning until {@code count} records match {@code filter}, and
   * returns those, in partition order. Fails after {@code timeout}.
   */
  public static List<ConsumerRecord<String, byte[]>> awaitRecords(
      String topic, Predicate<ConsumerRecord<String, byte[]>> filter, int count, Duration timeout) {
    List<ConsumerRecord<String, byte[]>> matched = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer = consumer(List.of(topic))) {
      while (matched.size() < count) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("expected " + count + " matching records on " + topic + " within "
              + timeout + ", got " + matched.size() + ": " + matched);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (filter.test(r)) {
            matched.add(r);
          }
        }
      }
    }
    return matched;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("wx-kafka-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at JVM exit
    }
  }
}
