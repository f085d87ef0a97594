package io.wxgateway.common.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A burst on one partition must not hold the next record for Kafka's 500 ms fetch wait: a real broker,
 * a consumer built from {@link KafkaOptions#consumerConfig}, two partitions of which one stays idle.
 * The burst is larger than a poll returns, so the consumer keeps part of it and fetches only the idle
 * partition, which the broker holds for {@code fetch.max.wait.ms}; the record written meanwhile
 * waited that long (the bridge's pushes by user, bench fanout with 2 partitions: p50 500 ms).
 */
class ConsumerFetchWaitTest {

  /** Above max.poll.records (500), so part of it stays in the consumer; written as one batch, fetched at once. */
  private static final int BURST = 600;
  private static final int ROUNDS = 5;

  @Test
  void aRecordAfterABurstIsNotHeldForTheBrokersFetchWait() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("fetch-wait");
    KafkaTestBroker.createTopics(2, topic);
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers());
    Map<String, Object> config = new HashMap<>(kafka.consumerConfig("fetch-wait-" + System.nanoTime(), "fetch-wait"));
    List<Long> waitsMs = new ArrayList<>();
    Map<String, Object> producerConfig = new HashMap<>(kafka.producerConfig("fetch-wait"));
    producerConfig.put("linger.ms", "200"); // the burst in one produce request: one fetch returns all of it
    producerConfig.put("batch.size", "1048576");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
      consumer.subscribe(List.of(topic));
      awaitAssignment(consumer);
      for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < BURST; i++) {
          producer.send(new ProducerRecord<>(topic, 0, "burst", new byte[1]));
        }
        producer.flush();
        int burst = 0;
        while (burst < BURST) { // the burst, a poll's worth at a time; partition 1 gets no record at all
          burst += countOn(consumer.poll(Duration.ofSeconds(5)), 0, "burst");
        }
        assertEquals(BURST, burst, "nothing beyond the burst was read");
        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, 0, "next", new byte[1]));
        producer.flush(); // at once, not after the linger
        while (countOn(consumer.poll(Duration.ofSeconds(5)), 0, "next") == 0) {
          assertTrue(System.nanoTime() - sent < 10_000_000_000L, "the record after the burst arrived");
        }
        waitsMs.add((System.nanoTime() - sent) / 1_000_000);
      }
    }
    List<Long> sorted = waitsMs.stream().sorted().toList();
    long median = sorted.get(ROUNDS / 2);
    // Kafka's default held it about 505 ms in four rounds of five (the first can catch a fetch already
    // under way); the shipped wait is 20 ms. The bound leaves a loaded machine room for the broker's
    // write and two polls; the median of five is not fooled by the one round the old setting may not hold.
    assertTrue(median < 250, "the record after each burst waited " + waitsMs + " ms (median " + median + ")");
  }

  @Test
  void kafkaPropertiesStillSetAnotherWait() {
    assertEquals("20", new KafkaOptions().consumerConfig("g", "c").get("fetch.max.wait.ms"));
    assertEquals("500", new KafkaOptions().putProperty("fetch.max.wait.ms", "500").consumerConfig("g", "c")
        .get("fetch.max.wait.ms"), "an operator trading latency for fewer idle fetches");
  }

  private static void awaitAssignment(KafkaConsumer<String, byte[]> consumer) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (consumer.assignment().size() < 2) {
      assertTrue(System.nanoTime() < deadline, "both partitions assigned");
      assertTrue(consumer.poll(Duration.ofMillis(100)).isEmpty(), "the topic is new");
    }
  }

  private static int countOn(ConsumerRecords<String, byte[]> records, int partition, String key) {
    int n = 0;
    for (var r : records) {
      assertEquals(partition, r.partition(), "only partition 0 has records");
      n += key.equals(r.key()) ? 1 : 0;
    }
    return n;
  }
}
