package io.wxgateway.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.codec.InboundRecords;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.deploy.EmbeddedRuntimes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * kafka-baseline: what the relay would cost if the gateway and the bridge were free. Virtual clients
 * produce records shaped exactly like the gateway's (same {@link InboundRecords} headers, same key,
 * same producer settings from {@link KafkaOptions#producerConfig}) to an inbound topic of their own;
 * the same {@code EchoBackend} class, on the same Vert.x as the relay's echo, answers on an outbound
 * topic of their own; one Kafka consumer, standing in for bridge and socket, completes the round trip.
 * The plain Kafka clients are used directly: no Vert.x wrapper, no event bus, no WebSocket.
 */
final class KafkaBaseline implements Driver, AutoCloseable {

  static final String CLIENT_ID = "wx-bench-baseline";
  static final String CONSUMER_THREAD = "wx-bench-baseline-consumer";

  private final Vertx pacingVertx;
  private final List<Context> contexts;
  private final Payloads payloads;
  private final boolean binary;
  private final InboundRecords records;
  private final InboundEvent[] events;
  private final AtomicLongArray seqs;
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread consumerThread;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile Phase phase;
  private volatile int window;

  /**
   * @param kafka the relay's Kafka options (bootstrap, client properties): the producer settings are the gateway's
   * @param echoVertx where to deploy the echo backend for the baseline's topics
   */
  KafkaBaseline(Environment env, KafkaOptions kafka, Vertx echoVertx, List<Context> contexts, int clients,
      Payloads payloads, boolean binary) throws InterruptedException {
    this.pacingVertx = env.clients;
    this.contexts = contexts;
    this.payloads = payloads;
    this.binary = binary;
    String in = "bench-" + env.runId + ".baseline.inbound";
    String out = "bench-" + env.runId + ".baseline.outbound";
    env.createTopics(in, out);
    KafkaOptions echo = new KafkaOptions(kafka).setInboundTopic(in).setOutboundTopic(out);
    // Its own group, so it does not join (and rebalance) the relay echo's group.
    echo.putProperty("group.id", EmbeddedRuntimes.echoGroupId() + "-baseline-" + env.runId);
    EmbeddedRuntimes.deployEcho(echoVertx, echo).await();
    this.records = new InboundRecords(in);
    this.events = new InboundEvent[clients];
    for (int i = 0; i < clients; i++) {
      events[i] = new InboundEvent(ConnectionId.generate("bench-baseline").value(), "bench-baseline", null, null);
    }
    this.seqs = new AtomicLongArray(clients);
    Map<String, String> producerConfig = kafka.producerConfig(CLIENT_ID);
    this.producer = new KafkaProducer<>(new HashMap<String, Object>(producerConfig));
    Map<String, String> consumerConfig = kafka.consumerConfig("bench-" + env.runId + "-baseline", CLIENT_ID + "-consumer");
    this.consumer = new KafkaConsumer<>(new HashMap<String, Object>(consumerConfig));
    consumer.subscribe(Set.of(out));
    this.consumerThread = new Thread(this::consume, CONSUMER_THREAD);
    consumerThread.setDaemon(true);
    consumerThread.start();
    if (!assigned.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the baseline consumer got no partitions within 60 s");
    }
  }

  static boolean isLoadThread(String name) {
    return name.equals(CONSUMER_THREAD) || name.contains("| " + CLIENT_ID);
  }

  @Override
  public String name() {
    return "kafka-baseline";
  }

  @Override
  public int clients() {
    return events.length;
  }

  @Override
  public void phase(Phase phase, int window) {
    this.window = window;
    this.phase = phase;
  }

  @Override
  public void send(int client, long intendedNanos) {
    Phase p = phase;
    long seq = seqs.incrementAndGet(client);
    byte[] value = payloads.bytes(client, seq, intendedNanos, Clock.nanos());
    ProducerRecord<String, byte[]> record = records.message(events[client], seq, !binary, value);
    producer.send(record, (md, e) -> {
      if (e != null) {
        p.onError(e);
      }
    });
    p.onSent(intendedNanos);
  }

  @Override
  public void openLoop(Phase phase, double rate) {
    phase(phase, 0);
    Pacer.start(pacingVertx, contexts, spread(), rate, phase, this);
  }

  @Override
  public void closedLoop(Phase phase, int window) {
    phase(phase, window);
    long now = Clock.nanos();
    for (int client = 0; client < events.length; client++) {
      for (int w = 0; w < window; w++) {
        send(client, now);
      }
    }
  }

  /** Virtual clients spread over the pacing event loops as the sockets are. */
  private List<int[]> spread() {
    List<int[]> out = new ArrayList<>();
    for (int l = 0; l < contexts.size(); l++) {
      int count = 0;
      for (int c = l; c < events.length; c += contexts.size()) {
        count++;
      }
      int[] mine = new int[count];
      for (int c = l, k = 0; c < events.length; c += contexts.size()) {
        mine[k++] = c;
      }
      out.add(mine);
    }
    return out;
  }

  private void consume() {
    Payloads.Parsed parsed = new Payloads.Parsed();
    try {
      while (running) {
        ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
        if (!consumer.assignment().isEmpty()) {
          assigned.countDown();
        }
        long now = Clock.nanos();
        Phase p = phase;
        for (ConsumerRecord<String, byte[]> r : batch) {
          if (p == null || r.value() == null || !Payloads.parse(r.value(), parsed)) {
            continue;
          }
          p.onReceived(parsed.intended, parsed.sent, now);
          if (window > 0 && p.owns(parsed.intended) && p.sending(now) && parsed.client < events.length) {
            send(parsed.client, now);
          }
        }
        if (!batch.isEmpty()) {
          consumer.commitAsync(); // the bridge commits every batch too
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    consumerThread.join(10_000);
    producer.close(Duration.ofSeconds(5));
  }
}
