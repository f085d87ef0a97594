package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/** Learns the gateway's connection id of every bench socket, for records addressed by connection. */
final class ConnectionIdProbe {

  private static final String MARKER = "bench-hello:";

  private ConnectionIdProbe() {
  }

  /**
   * Each socket's connection id, learnt the way a backend learns it: every socket sends a marker
   * message and the bench reads the inbound topic, where the record key is the connection id.
   */
  static String[] learn(BenchOptions o, Environment env, KafkaOptions kafka, WsLoad ws) throws InterruptedException {
    int n = ws.clients();
    String[] ids = new String[n];
    Map<String, Object> config = new HashMap<>(kafka.consumerConfig("bench-" + env.runId + "-markers", "wx-bench-markers"));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo p : consumer.partitionsFor(kafka.getInboundTopic(), Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(p.topic(), p.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      Bench.progress(o, "learning the connection ids from marker messages on " + kafka.getInboundTopic());
      synchronized (ws.conns) {
        for (WsLoad.Conn c : ws.conns) {
          c.context.runOnContext(v -> c.ws.writeTextMessage(MARKER + c.index));
        }
      }
      int found = 0;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (found < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String v = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
          if (v.startsWith(MARKER)) {
            int i = Integer.parseInt(v.substring(MARKER.length()));
            if (i < n && ids[i] == null) {
              ids[i] = r.key();
              found++;
            }
          }
        }
      }
      if (found < n) {
        throw new IllegalStateException("learnt only " + found + " of " + n + " connection ids");
      }
    }
    return ids;
  }
}
