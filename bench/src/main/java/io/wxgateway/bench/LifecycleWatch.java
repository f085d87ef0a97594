package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.ContentTypes;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The storm's backend: reads the sockets' lifecycle events ({@code wx.socket.open}, {@code
 * wx.socket.close}) off the inbound topic on a thread of its own, as a backend would, and, for a
 * generation that asks for it, answers every open with a push to that connection at once (a welcome
 * message), so the storm measures the whole way back into service.
 */
final class LifecycleWatch implements AutoCloseable {

  /** The sockets opened since {@link #begin}: their open events, the previous generation's closes, the pushes. */
  static final class Generation {
    final int expected;
    final boolean push;
    final long startNanos;
    final Set<String> opened = ConcurrentHashMap.newKeySet();
    final Set<String> previous;
    final Set<String> previousClosed = ConcurrentHashMap.newKeySet();
    final AtomicLong pushesSent = new AtomicLong();
    /** When the expected number of open events (or every close of the previous generation) was read; 0: not yet. */
    volatile long allOpenedAt;
    volatile long previousClosedAt;

    Generation(int expected, boolean push, long startNanos, Set<String> previous) {
      this.expected = expected;
      this.push = push;
      this.startNanos = startNanos;
      this.previous = previous;
      this.previousClosedAt = previous.isEmpty() ? startNanos : 0;
    }
  }

  private final KafkaOptions kafka;
  private final KafkaProducer<String, byte[]> producer;
  private final Payloads payloads;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Generation current = new Generation(0, false, 0, Set.of());
  private volatile Throwable failure;

  /** Subscribes from the inbound topic's end (only this run's new events count) and starts reading. */
  LifecycleWatch(KafkaOptions kafka, KafkaProducer<String, byte[]> producer, Payloads payloads, String runId) {
    this.kafka = kafka;
    this.producer = producer;
    this.payloads = payloads;
    Map<String, Object> config = new HashMap<>(kafka.consumerConfig("bench-" + runId + "-storm", "wx-bench-storm"));
    consumer = new KafkaConsumer<>(config);
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(kafka.getInboundTopic(), Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // the end now, not at the first poll
    thread = new Thread(this::read, "wx-bench-storm-watch");
    thread.setDaemon(true);
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  /**
   * From now on opens count for a new generation of {@code expected} sockets (the previous
   * generation's were all read: {@link #awaitOpened} returned), closes for the previous one.
   */
  Generation begin(int expected, boolean push, long startNanos) {
    Generation g = new Generation(expected, push, startNanos, Set.copyOf(current.opened));
    current = g;
    return g;
  }

  /** Waits until the generation's open events are all read; false at the deadline. */
  boolean awaitOpened(Generation g, long deadlineNanos) throws InterruptedException {
    return await(() -> g.allOpenedAt != 0, deadlineNanos);
  }

  boolean awaitPreviousClosed(Generation g, long deadlineNanos) throws InterruptedException {
    return await(() -> g.previousClosedAt != 0, deadlineNanos);
  }

  private boolean await(java.util.function.BooleanSupplier done, long deadlineNanos) throws InterruptedException {
    while (!done.getAsBoolean()) {
      if (failure != null) {
        throw new IllegalStateException("reading " + kafka.getInboundTopic() + " failed", failure);
      }
      if (Clock.nanos() > deadlineNanos) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private void read() {
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          String type = header(r, CeHeaders.TYPE);
          String id = header(r, CeHeaders.CONNECTION_ID);
          Generation g = current;
          if (EventTypes.OPEN.equals(type) && id != null && !g.previous.contains(id) && g.opened.add(id)) {
            if (g.push) {
              push(g, id);
            }
            if (g.opened.size() == g.expected) {
              g.allOpenedAt = Clock.nanos();
            }
          } else if (EventTypes.CLOSE.equals(type) && g.previous.contains(id) && g.previousClosed.add(id)
              && g.previousClosed.size() == g.previous.size()) {
            g.previousClosedAt = Clock.nanos();
          }
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** One text message to connection {@code id}; its payload carries the drop's time, so delivery is timed from it. */
  private void push(Generation g, String id) {
    RecordHeaders h = new RecordHeaders();
    h.add(CeHeaders.TYPE, EventTypes.SEND.getBytes(StandardCharsets.UTF_8));
    h.add(CeHeaders.CONNECTION_ID, id.getBytes(StandardCharsets.UTF_8));
    h.add(CeHeaders.CONTENT_TYPE, ContentTypes.TEXT_UTF8.getBytes(StandardCharsets.UTF_8));
    long seq = g.pushesSent.incrementAndGet();
    byte[] value = payloads.text(0, seq, g.startNanos, Clock.nanos()).getBytes(StandardCharsets.US_ASCII);
    producer.send(new ProducerRecord<>(kafka.getOutboundTopic(), null, id, value, h));
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
