package io.wxgateway.deploy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A demo backend that speaks only Kafka, as real backends do: it consumes {@code wx.inbound} and
 * answers every client message on {@code wx.outbound} with the same bytes and content type, to the
 * connection it came from. For newcomers and for the benchmark; not for production.
 */
final class EchoBackend extends VerticleBase {

  static final String GROUP_ID = "wx-demo-echo";

  private final KafkaOptions kafka;
  private KafkaReadStream<String, byte[]> consumer;
  private KafkaProducer<String, byte[]> producer;

  EchoBackend(KafkaOptions kafka) {
    this.kafka = kafka;
  }

  @Override
  public Future<?> start() {
    Map<String, Object> config = new HashMap<>(kafka.consumerConfig(GROUP_ID, "wx-demo-echo"));
    config.put("enable.auto.commit", "true");
    consumer = KafkaReadStream.create(vertx, config);
    producer = KafkaProducer.create(vertx, kafka.producerConfig("wx-demo-echo"));
    consumer.handler(this::echo);
    return consumer.subscribe(Set.of(kafka.getInboundTopic()));
  }

  @Override
  public Future<?> stop() {
    return Future.join(consumer.close(), producer.close());
  }

  private void echo(ConsumerRecord<String, byte[]> record) {
    Header type = record.headers().lastHeader(CeHeaders.TYPE);
    if (type == null || !EventTypes.MESSAGE.equals(new String(type.value()))) {
      return; // open and close events need no answer
    }
    RecordHeaders headers = new RecordHeaders();
    headers.add(CeHeaders.TYPE, EventTypes.SEND.getBytes());
    headers.add(CeHeaders.CONNECTION_ID, record.key().getBytes());
    Header contentType = record.headers().lastHeader(CeHeaders.CONTENT_TYPE);
    if (contentType != null) {
      headers.add(CeHeaders.CONTENT_TYPE, contentType.value());
    }
    producer.asStream().send(new ProducerRecord<>(kafka.getOutboundTopic(), null, record.key(), record.value(), headers));
  }
}
