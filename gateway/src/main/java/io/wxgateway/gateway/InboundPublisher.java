package io.wxgateway.gateway;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends inbound records through the node's one shared Kafka producer. One per verticle instance:
 * the Vert.x Kafka client hands each instance's sends to the producer in call order (on its own
 * ordered worker), and completes them back on the calling event loop, so records of one socket
 * reach Kafka in the order the socket produced them.
 */
final class InboundPublisher {

  static final String SHARED_PRODUCER_NAME = "wx-gateway-inbound";

  private final KafkaProducer<String, byte[]> producer;
  private final KafkaWriteStream<String, byte[]> stream;
  private final GatewayMetrics metrics;

  InboundPublisher(Vertx vertx, KafkaOptions kafka, String nodeId, GatewayMetrics metrics) {
    this.producer = KafkaProducer.createShared(vertx, SHARED_PRODUCER_NAME, kafka.producerConfig("wx-gateway-" + nodeId));
    this.stream = producer.asStream();
    this.metrics = metrics;
  }

  /** Completes on the calling event loop once Kafka acknowledged the record, or failed when it did not. */
  Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    long start = System.nanoTime();
    return stream.send(record).andThen(ar -> {
      if (ar.succeeded()) {
        metrics.produceLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      } else {
        metrics.produceErrors.increment();
      }
    });
  }

  /** Releases this instance's hold on the shared producer; the last one closes it. */
  Future<Void> close() {
    return producer.close();
  }
}
