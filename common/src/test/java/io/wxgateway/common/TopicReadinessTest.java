package io.wxgateway.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TopicReadinessTest {

  @Test
  void onceReadyAnIdempotentProducerWithFiveInFlightWritesEveryPartitionAtOnce() throws Exception {
    String topic = KafkaTestBroker.uniqueTopic("ready");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
      TopicReadiness.await(admin, List.of(topic), Duration.ofSeconds(30));
    }
    Properties p = new Properties();
    p.put("bootstrap.servers", KafkaTestBroker.bootstrapServers());
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("delivery.timeout.ms", "20000");
    p.put("request.timeout.ms", "10000");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        acks.add(producer.send(new ProducerRecord<>(topic, i % 4, "k", new byte[100])));
      }
      for (Future<RecordMetadata> ack : acks) {
        assertTrue(ack.get(30, TimeUnit.SECONDS).hasOffset(), "every record is written");
      }
    }
  }

  @Test
  void aTopicThatNeverAppearsFailsWithItsName() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaTestBroker.bootstrapServers()))) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> TopicReadiness.await(admin, List.of("never-created-topic"), Duration.ofSeconds(1)));
      assertTrue(e.getMessage().contains("never-created-topic"), e.getMessage());
    }
  }
}
