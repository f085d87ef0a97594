package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17: a gateway node frozen (SIGSTOP) past the member timeout while pushes flow. The survivors
 * (gw-1 and the bridge, in this JVM) remove it and prune its users; when it wakes (SIGCONT) it is
 * alone and without the quorum: it must turn not ready, prune nothing of the survivors', close its
 * sockets with 1012, merge back and serve again, its directory entry and presence written from its
 * registry. Its merge delays are the ones an operator sets ({@code cluster.merge*}), 5 s here.
 */
class ClusterPauseTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPauseTest.class);
  private static final Map<String, String> FAST_MERGE = Map.of(
      "WXGW_CLUSTER_MERGE_FIRST_RUN_DELAY_SECONDS", "5",
      "WXGW_CLUSTER_MERGE_NEXT_RUN_DELAY_SECONDS", "5");

  private static TestCluster cluster;
  private static ChildGateway gw2;

  /** Hazelcast port indexes: gw-1 0, br-1 1, gw-2 (child JVM) 2. */
  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(3);
    cluster.start("gw-1", 0, "gateway");
    cluster.start("br-1", 1, "bridge");
    gw2 = ChildGateway.start(cluster, "gw-2", 2, FAST_MERGE);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 3);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.of("gw-1", "gw-2")));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> gw2.readiness() == 200);
  }

  @AfterAll
  static void stopCluster() {
    if (gw2 != null) {
      gw2.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aGatewayFrozenPastTheMemberTimeoutShedsItsSocketsWhileOutAndComesBackWholeAndEmpty() throws Exception {
    Users users = Users.connect(cluster, gw2, "pause");
    try (SocketReaders readers = new SocketReaders(users.all()); Pushes pushes = Pushes.start(cluster, users)) {
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> users.all().stream()
          .allMatch(s -> !readers.of(s).isEmpty()));

      gw2.freeze();
      long frozenAt = System.currentTimeMillis();
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 2);
      long evictedAt = System.currentTimeMillis();
      users.awaitSurvivorsPrunedTheChild(cluster);
      long prunedAt = System.currentTimeMillis();
      gw2.wake();
      long wokeAt = System.currentTimeMillis();
      long nanosAtWake = System.nanoTime();

      long lastCloseNanos = 0;
      for (ClusterSocket s : users.onChild()) {
        TestSocket.Closed closed = s.socket().awaitClose();
        assertEquals(CloseCodes.SERVICE_RESTART, closed.code(), "socket of " + s.user() + " on gw-2: " + closed);
        lastCloseNanos = Math.max(lastCloseNanos, closed.atNanos());
      }
      long shedMs = TimeUnit.NANOSECONDS.toMillis(lastCloseNanos - nanosAtWake);
      Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> gw2.readiness() == 200 && cluster.members("gw-1") == 3);
      List<ChildGateway.Readiness> timeline = gw2.timeline();
      LOG.info("pause: frozen at 0, evicted by the survivors after {} ms, pruned after {} ms, woken after {} ms; "
          + "sockets shed {} ms after the wake; readiness {}", evictedAt - frozenAt, prunedAt - frozenAt,
          wokeAt - frozenAt, shedMs, relative(timeline, wokeAt));
      assertReadinessWasDownWhileOut(timeline, wokeAt);

      users.assertSurvivorsStateIsIntact(cluster);
      pushes.close();
      users.assertEveryOpenSocketGetsItsPush(cluster, readers);
      users.assertShedUsersCanReconnectToTheChild(cluster, gw2, readers);
    }
  }

  /** After the wake the node answered 503 (it knew it was out) before it answered 200 again. */
  static void assertReadinessWasDownWhileOut(List<ChildGateway.Readiness> timeline, long wokeAt) {
    boolean down = false;
    for (ChildGateway.Readiness r : timeline) {
      if (r.atMs() >= wokeAt && r.status() == 503) {
        down = true;
      }
    }
    assertTrue(down, "readiness said 503 after the wake: " + relative(timeline, wokeAt));
    assertEquals(200, timeline.get(timeline.size() - 1).status());
  }

  /** The timeline in ms relative to {@code zero}: "+1234 ms: 503". */
  static List<String> relative(List<ChildGateway.Readiness> timeline, long zero) {
    List<String> out = new ArrayList<>();
    timeline.forEach(r -> out.add((r.atMs() - zero) + " ms: " + (r.status() < 0 ? "no answer" : r.status())));
    return out;
  }
}
