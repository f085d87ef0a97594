package io.wxgateway.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.wxgateway.common.contract.CeHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes an undeliverable outbound record to the dead-letter topic with its original key, value and
 * headers, plus {@code ce_deliveryerror} and {@code ce_deliverydetail}. The returned future completes
 * once Kafka acknowledged the dead letter: only then may the bridge commit past the original.
 */
final class DeadLetterWriter {

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  DeadLetterWriter(Vertx vertx, Map<String, String> producerConfig, String topic) {
    this.producer = KafkaProducer.create(vertx, producerConfig);
    this.topic = topic;
  }

  Future<Void> write(ConsumerRecord<String, byte[]> original, Outcome outcome) {
    RecordHeaders headers = new RecordHeaders(original.headers().toArray());
    headers.remove(CeHeaders.DELIVERY_ERROR);
    headers.remove(CeHeaders.DELIVERY_DETAIL);
    headers.add(CeHeaders.DELIVERY_ERROR, outcome.error().code().getBytes(StandardCharsets.UTF_8));
    headers.add(CeHeaders.DELIVERY_DETAIL, outcome.detail().getBytes(StandardCharsets.UTF_8));
    ProducerRecord<String, byte[]> letter =
        new ProducerRecord<>(topic, null, original.key(), original.value(), headers);
    return producer.asStream().send(letter).mapEmpty();
  }

  Future<Void> close() {
    return producer.close();
  }
}
