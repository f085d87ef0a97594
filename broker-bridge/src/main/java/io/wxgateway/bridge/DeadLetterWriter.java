package io.wxgateway.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.wxgateway.common.contract.CeHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes an undeliverable outbound record to the dead-letter topic with its original key, value and
 * headers, plus {@code ce_deliveryerror} and {@code ce_deliverydetail} (and {@code ce_unreachednodes}
 * when a fan-out missed some nodes). The returned future completes
 * once Kafka acknowledged the dead letter: only then may the bridge commit past the original.
 *
 * <p>A dead letter too large for Kafka (the original plus the two headers over {@code max.request.size}
 * or the topic's {@code max.message.bytes}) would fail the same way for ever and stop the bridge; it
 * is written again without its value, its detail saying so and where the original is (topic,
 * partition, offset: still in the outbound topic for its retention).
 */
final class DeadLetterWriter {

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;

  DeadLetterWriter(Vertx vertx, Map<String, String> producerConfig, String topic) {
    this.producer = KafkaProducer.create(vertx, producerConfig);
    this.topic = topic;
  }

  Future<Void> write(ConsumerRecord<String, byte[]> original, Outcome outcome) {
    String code = outcome.error().code();
    String unreached = String.join(",", outcome.unreachedNodes());
    return send(original, original.value(), code, outcome.detail(), unreached).recover(e -> {
      if (!(e instanceof RecordTooLargeException)) {
        return Future.failedFuture(e);
      }
      String detail = outcome.detail() + " (value of " + original.serializedValueSize() + " bytes omitted: the dead "
          + "letter was too large for Kafka; the original is " + original.topic() + "-" + original.partition()
          + "@" + original.offset() + ")";
      return send(original, null, code, detail, unreached);
    });
  }

  private Future<Void> send(ConsumerRecord<String, byte[]> original, byte[] value, String code, String detail,
      String unreachedNodes) {
    RecordHeaders headers = new RecordHeaders(original.headers().toArray());
    headers.remove(CeHeaders.DELIVERY_ERROR);
    headers.remove(CeHeaders.DELIVERY_DETAIL);
    headers.remove(CeHeaders.UNREACHED_NODES);
    headers.add(CeHeaders.DELIVERY_ERROR, code.getBytes(StandardCharsets.UTF_8));
    headers.add(CeHeaders.DELIVERY_DETAIL, detail.getBytes(StandardCharsets.UTF_8));
    if (!unreachedNodes.isEmpty()) {
      headers.add(CeHeaders.UNREACHED_NODES, unreachedNodes.getBytes(StandardCharsets.UTF_8));
    }
    return producer.asStream().send(new ProducerRecord<>(topic, null, original.key(), value, headers)).mapEmpty();
  }

  Future<Void> close() {
    return producer.close();
  }
}
