package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway node frozen longer than the bridge's delivery timeout while records stream to its
 * sockets, as in a long GC pause or a SIGSTOP: every event loop of its Vert.x is blocked (its
 * Hazelcast member keeps running, so it stays in the cluster). The bridge, on a node of its own,
 * dead-letters what the frozen node did not answer; when the node wakes, none of those records may
 * reach a socket.
 */
class FrozenGatewayTest {

  private static final Logger LOG = LoggerFactory.getLogger(FrozenGatewayTest.class);
  private static final int STREAM = 3_000;

  private TestCluster cluster;
  /** gw-1, out of the cluster's books while frozen (its maps are read through br-1), stopped here. */
  private WxRuntime frozen;

  @BeforeEach
  void startCluster() throws Exception {
    cluster = new TestCluster(2);
    cluster.start("gw-1", 0, "gateway");
    cluster.start("br-1", 1, "bridge");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 2);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.of("gw-1")));
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
    if (frozen != null) {
      frozen.stop();
    }
  }

  @Test
  void aRecordDeadLetteredWhileItsNodeWasFrozenNeverReachesASocketWhenItWakes() throws Exception {
    List<ClusterSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sockets.add(cluster.connect("gw-1", "frozen-" + i, null));
    }
    Set<String> all = new HashSet<>();
    for (int n = 0; n < STREAM; n++) {
      all.add("s-" + n);
    }
    try (SocketReaders readers = new SocketReaders(sockets)) {
      cluster.send(sockets.get(0).id(), SocketReaders.WARM_UP, "ce_connectionid", sockets.get(0).id());
      assertTrue(readers.awaitWarmUp(60, TimeUnit.SECONDS), "the bridge delivers");
      CountDownLatch produced = cluster.streamInTheBackground(sockets, STREAM);
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> readers.count() >= STREAM / 10);

      frozen = cluster.remove("gw-1");
      CountDownLatch thaw = freeze(frozen.vertx());
      Set<String> beforeThaw;
      try {
        // frozen until the bridge has given up on some of its records and dead-lettered them
        Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
            .until(() -> !cluster.deadLettered(all).isEmpty());
      } finally {
        // what reached the clients while frozen was written before the loops stopped; its answer can
        // still be held behind a frozen loop's event-bus connection and miss the deadline: delivered
        // and dead-lettered, the bridge's at-least-once. What the node must never do is write a
        // dead-lettered record once it wakes.
        beforeThaw = readers.distinct();
        thaw.countDown();
      }
      LOG.info("gw-1 thawed after {} of {} records were delivered", readers.count(), STREAM);
      assertTrue(produced.await(60, TimeUnit.SECONDS));
      Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
        Set<String> accounted = new HashSet<>(readers.distinct());
        accounted.addAll(cluster.deadLettered(all));
        return accounted.containsAll(all);
      });
      readers.close();
      Set<String> deadLettered = cluster.deadLettered(all);
      Set<String> both = new HashSet<>(readers.distinct());
      both.removeAll(beforeThaw);
      both.retainAll(deadLettered);
      LOG.info("frozen node: {} delivered, {} dead-lettered, {} both", readers.distinct().size(),
          deadLettered.size(), both.size());
      assertTrue(both.isEmpty(), both.size() + " records were dead-lettered and also delivered after the wake: " + both);
    }
  }

  /** Blocks every event loop of that Vert.x until the latch opens (at most 60 s). */
  private static CountDownLatch freeze(Vertx vertx) {
    CountDownLatch thaw = new CountDownLatch(1);
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      loop.execute(() -> {
        try {
          thaw.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    return thaw;
  }
}
