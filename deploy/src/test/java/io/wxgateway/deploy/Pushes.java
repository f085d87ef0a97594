package io.wxgateway.deploy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Pushes flowing in the background: every 200 ms one record to each user and one to each connection
 * (whose value is its ce_id, {@link #sentByConnection}).
 */
final class Pushes implements AutoCloseable {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Set<String> sentByConnection = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  private Pushes(TestCluster cluster, List<ClusterSocket> sockets) {
    thread = new Thread(() -> push(cluster, sockets), "pushes");
    thread.setDaemon(true);
    thread.start();
  }

  static Pushes start(TestCluster cluster, Users users) {
    return new Pushes(cluster, users.all());
  }

  private void push(TestCluster cluster, List<ClusterSocket> sockets) {
    try (KafkaProducer<String, byte[]> kafka = KafkaTestBroker.producer()) {
      for (int n = 0; running.get(); n++) {
        for (ClusterSocket s : sockets) {
          kafka.send(cluster.record(s.user(), "tick-" + n, "ce_userid", s.user()));
          // its own ce_id too, so that what a socket received and what was dead-lettered compare
          String byConnection = "tick-c-" + n + "@" + s.id();
          kafka.send(cluster.record(s.id(), byConnection, "ce_connectionid", s.id(), "ce_id", byConnection));
          sentByConnection.add(byConnection);
        }
        kafka.flush();
        Thread.sleep(200); // pacing, not waiting
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The pushes by connection sent so far; each is its own value and ce_id. */
  Set<String> sentByConnection() {
    return Set.copyOf(sentByConnection);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }
}
