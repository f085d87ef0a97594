package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Reads the run's dead-letter topic while the phases run, so that what a phase lost can be told apart:
 * dead-lettered by the bridge (with its {@code ce_deliveryerror}) or vanished (neither received nor
 * dead-lettered). One consumer on a thread of its own, assigned every partition from the beginning
 * (the topic is the run's own); it costs nothing while nothing is dead-lettered. Each dead letter that
 * is a bench message goes to the current {@link Sink}, which decides whether it is one of its own.
 */
final class DeadLetterWatch implements AutoCloseable {

  /** Gets the dead letters read while it is set; called on the watch's thread. */
  interface Sink {
    void deadLettered(String reason, Payloads.Parsed message, ConsumerRecord<String, byte[]> record);
  }

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private final Thread thread;
  private volatile Sink sink;
  private volatile boolean closed;
  /** Asked for by {@link #catchUp}: completed once everything written before the ask has been read. */
  private volatile CompletableFuture<Void> catchUp;
  private final Payloads.Parsed parsed = new Payloads.Parsed();

  private DeadLetterWatch(KafkaOptions kafka, String runId) {
    Map<String, Object> config = new HashMap<>(kafka.consumerConfig("bench-" + runId + "-dead-letters",
        "wx-bench-dead-letters"));
    consumer = new KafkaConsumer<>(config);
    for (PartitionInfo p : consumer.partitionsFor(kafka.getDeadLetterTopic(), Duration.ofSeconds(30))) {
      partitions.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    thread = new Thread(this::run, "wx-bench-dead-letters");
    thread.setDaemon(true);
    thread.start();
  }

  /** Watches {@code kafka}'s dead-letter topic; null (and a note why) when it cannot be read. */
  static DeadLetterWatch start(BenchOptions o, KafkaOptions kafka, String runId) {
    try {
      return new DeadLetterWatch(kafka, runId);
    } catch (RuntimeException e) {
      Bench.progress(o, "not reading the dead-letter topic " + kafka.getDeadLetterTopic() + ": " + e);
      return null;
    }
  }

  void sink(Sink s) {
    this.sink = s;
  }

  /**
   * Waits until every dead letter written so far has gone to the sink (at most {@code timeoutMs}):
   * called after a phase's drain, before its losses are told apart.
   */
  boolean catchUp(long timeoutMs) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    catchUp = done;
    try {
      done.get(timeoutMs, TimeUnit.MILLISECONDS);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private void run() {
    try {
      while (!closed) {
        CompletableFuture<Void> asked = catchUp;
        Map<TopicPartition, Long> end = asked == null ? null : consumer.endOffsets(partitions);
        do {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            handle(r);
          }
        } while (end != null && !closed && !reached(end));
        if (asked != null) {
          catchUp = null;
          asked.complete(null);
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      System.err.println("bench: stopped reading the dead-letter topic: " + e); // catchUp now times out
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private void handle(ConsumerRecord<String, byte[]> r) {
    Sink s = sink;
    if (s == null || r.value() == null || !Payloads.parse(r.value(), parsed)) {
      return;
    }
    Header h = r.headers().lastHeader(CeHeaders.DELIVERY_ERROR);
    s.deadLettered(h == null ? "(none)" : new String(h.value(), StandardCharsets.UTF_8), parsed, r);
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
