package io.wxgateway.common;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Waits until every partition of freshly created topics is served by its leader. Creating a topic
 * returns once the controller recorded it, a little before the leader can take writes; an idempotent
 * producer that writes at once may see its first request refused while a later one is accepted, and
 * then retry the first in vain until its delivery timeout (KAFKA-15591, fixed after Kafka 3.9): those
 * records are lost, and their sockets closed with 1013. Listing a partition's latest offset is
 * answered by the leader's own log, so once it answers for every partition the topics are safe to
 * write. Blocking: call it from a main or worker thread, never an event loop.
 */
public final class TopicReadiness {

  private TopicReadiness() {
  }

  /** Returns once every partition of {@code topics} answers, or throws after {@code timeout}. */
  public static void await(Admin admin, Collection<String> topics, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
          for (TopicPartitionInfo p : d.partitions()) {
            partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          }
        }
        admin.listOffsets(partitions).all().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
        last = e; // not yet: the topic or a leader is still being set up
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the partitions of " + topics + " were not writable within " + timeout, last);
  }
}
