package io.wxgateway.gateway.inbound;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.gateway.metrics.GatewayMetrics;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends inbound records through the node's one shared Kafka producer, one instance per gateway
 * verticle. The records a verticle's event loop produces while it handles one burst of reads are
 * handed to the producer together, in call order, by one ordered worker task (the producer's
 * {@code send} may block on metadata or a full buffer, so never on the event loop); their
 * acknowledgements come back to the event loop together too. Records of one socket reach Kafka in
 * the order the socket produced them. Per record that is one worker hand-off and one event-loop
 * hop fewer than sending through the Vert.x client's write stream one record at a time.
 *
 * <p>{@link #send} and {@link #close} run on the verticle's event loop; the producer's callbacks
 * run on its I/O thread and only queue what they learned.
 */
public final class InboundPublisher {

  static final String SHARED_PRODUCER_NAME = "wx-gateway-inbound";

  private final KafkaProducer<String, byte[]> shared;
  private final Producer<String, byte[]> producer;
  private final Context context;
  private final GatewayMetrics metrics;
  /** Records handed over during the current event-loop task; sent when it ends. */
  private List<Pending> batch = new ArrayList<>();
  private Future<Void> lastHandOff = Future.succeededFuture();
  /** Answers from the producer's I/O thread, completed on the event loop in bursts. */
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  private record Pending(ProducerRecord<String, byte[]> record, Promise<RecordMetadata> promise, long start) {
  }

  private record Answer(Pending pending, RecordMetadata metadata, Exception error) {
  }

  public InboundPublisher(Vertx vertx, KafkaOptions kafka, String nodeId, GatewayMetrics metrics) {
    this.shared = KafkaProducer.createShared(vertx, SHARED_PRODUCER_NAME, kafka.producerConfig("wx-gateway-" + nodeId));
    this.producer = shared.unwrap();
    this.context = vertx.getOrCreateContext();
    this.metrics = metrics;
  }

  /** Completes on the event loop once Kafka acknowledged the record, or failed when it did not. */
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
    Promise<RecordMetadata> promise = Promise.promise();
    if (batch.isEmpty()) {
      context.runOnContext(v -> handOff());
    }
    batch.add(new Pending(record, promise, System.nanoTime()));
    return promise.future();
  }

  private Future<Void> handOff() {
    if (batch.isEmpty()) {
      return lastHandOff;
    }
    List<Pending> sending = batch;
    batch = new ArrayList<>();
    lastHandOff = context.executeBlocking(() -> {
      for (Pending p : sending) {
        try {
          producer.send(p.record(), (metadata, error) -> answer(new Answer(p, metadata, error)));
        } catch (RuntimeException e) { // serialization, a closed producer, a record over max.request.size
          answer(new Answer(p, null, e));
        }
      }
      return null;
    }, true);
    // a task that never ran (the worker pool shut down) must still answer, or its sockets stay paused
    lastHandOff.onFailure(e -> sending.forEach(p -> p.promise().tryFail(e)));
    return lastHandOff;
  }

  /** Any thread. */
  private void answer(Answer answer) {
    answers.add(answer);
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drainAnswers());
    }
  }

  private void drainAnswers() {
    drainScheduled.set(false);
    Answer a;
    while ((a = answers.poll()) != null) {
      if (a.error() == null) {
        metrics.produceLatency.record(System.nanoTime() - a.pending().start(), TimeUnit.NANOSECONDS);
        a.pending().promise().tryComplete(a.metadata());
      } else {
        metrics.produceErrors.increment();
        a.pending().promise().tryFail(a.error());
      }
    }
  }

  /** Hands over what is pending, then releases this instance's hold on the shared producer (the last one closes it). */
  public Future<Void> close() {
    return handOff().eventually(shared::close);
  }
}
