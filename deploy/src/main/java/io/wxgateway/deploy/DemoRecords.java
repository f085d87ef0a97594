package io.wxgateway.deploy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the demo page (only with {@code demo.echo} or {@code demo.page}): tails the inbound, outbound and dead-letter
 * topics from their ends into a {@link RecordTail}, with the Vert.x Kafka client (never blocking an
 * event loop), in a consumer group of this node's own that commits nothing. Started once its
 * partitions are assigned and their positions resolved, so no record after start is missed.
 */
final class DemoRecords extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DemoRecords.class);

  private final KafkaOptions kafka;
  private final String nodeId;
  private final RecordTail tail;
  private KafkaReadStream<String, byte[]> consumer;

  DemoRecords(KafkaOptions kafka, String nodeId, RecordTail tail) {
    this.kafka = kafka;
    this.nodeId = nodeId;
    this.tail = tail;
  }

  @Override
  public Future<?> start() {
    Map<String, Object> config = new HashMap<String, Object>(kafka.consumerConfig("wx-demo-records-" + nodeId, "wx-demo-records"));
    config.put("auto.offset.reset", "latest");
    consumer = KafkaReadStream.create(vertx, config);
    Promise<Void> positioned = Promise.promise();
    AtomicBoolean first = new AtomicBoolean(true);
    consumer.partitionsAssignedHandler(partitions -> {
      if (first.getAndSet(false)) {
        Future.all(partitions.stream().map(consumer::position).toList()).<Void>mapEmpty().onComplete(positioned);
      }
    });
    consumer.exceptionHandler(e -> LOG.warn("demo record tail: {}", e.toString()));
    consumer.handler(this::add);
    return consumer.subscribe(Set.of(kafka.getInboundTopic(), kafka.getOutboundTopic(), kafka.getDeadLetterTopic()))
        .compose(v -> positioned.future());
  }

  @Override
  public Future<?> stop() {
    return consumer.close();
  }

  private void add(ConsumerRecord<String, byte[]> record) {
    String topic = record.topic();
    RecordTail.Kind kind = topic.equals(kafka.getInboundTopic()) ? RecordTail.Kind.INBOUND
        : topic.equals(kafka.getOutboundTopic()) ? RecordTail.Kind.OUTBOUND : RecordTail.Kind.DEAD_LETTER;
    tail.add(kind, record);
  }
}
