package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17: a gateway node frozen past the member timeout, then a network partition that heals, both
 * while pushes by user and by connection flow; one cluster for both (the tests run in order).
 *
 * <p>The pause: gw-2, a child JVM, gets SIGSTOP; the survivors (gw-1 and the bridge, in this JVM)
 * remove it and prune its users; woken with SIGCONT it is alone and without the quorum: it must turn
 * not ready, prune nothing of the survivors', close its sockets with 1012, merge back and serve
 * again, its directory entry and presence written from its registry.
 *
 * <p>The partition: every Hazelcast member advertises a {@link PartitionProxy}
 * in front of it; gw-2 (a child JVM) is bound to 127.0.0.2, so its own connections are told apart.
 * Cutting gw-2 off for longer than the member timeout: the survivors (gw-1 and the bridge) prune it;
 * gw-2, alive the whole time, finds itself without the quorum, turns not ready and closes its sockets
 * with 1012 while still cut off, and prunes nothing. After the heal it merges back and serves again.
 * (The event-bus port is not cut: once gw-2 is out of the cluster nothing routes to it anyway.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSplitTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSplitTest.class);
  private static final String CHILD_HOST = "127.0.0.2";

  private static TestCluster cluster;
  private static ChildGateway gw2;
  private static final List<PartitionProxy> proxies = new ArrayList<>();

  /** Hazelcast port indexes: gw-1 0, br-1 1, gw-2 (child JVM, on 127.0.0.2) 2; proxy ports 3 to 5. */
  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(6);
    String[] hosts = {"127.0.0.1", "127.0.0.1", CHILD_HOST};
    for (int i = 0; i < 3; i++) {
      proxies.add(new PartitionProxy(hosts[i], cluster.hazelcastPort(3 + i),
          new InetSocketAddress(hosts[i], cluster.hazelcastPort(i))));
    }
    // Everyone joins gw-1, the member that is always up: a forwarder accepts connections even when
    // nothing runs behind it, which keeps a joining member waiting for an answer that never comes.
    List<String> members = List.of(hosts[0] + ":" + cluster.hazelcastPort(3));
    cluster.start("gw-1", 0, "gateway", viaProxy(hosts[0], 0, members));
    cluster.start("br-1", 1, "bridge", viaProxy(hosts[1], 1, members));
    Map<String, String> child = viaProxy(CHILD_HOST, 2, members);
    child.put("WXGW_CLUSTER_HOST", ""); // 127.0.0.2 is no interface address: bound below, without interface matching
    child.put("WXGW_CLUSTER_MERGE_FIRST_RUN_DELAY_SECONDS", "5");
    child.put("WXGW_CLUSTER_MERGE_NEXT_RUN_DELAY_SECONDS", "5");
    // its connections to the others leave from its own address, so the others' proxies can cut them
    gw2 = ChildGateway.start(cluster, "gw-2", 2, child,
        Map.of("hazelcast.local.localAddress", CHILD_HOST, "hazelcast.socket.client.bind.any", "false"));
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 3);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.of("gw-1", "gw-2")));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> gw2.readiness() == 200);
  }

  /** Dead-lettered means not delivered: no push by connection reached a socket and also the dead letters. */
  private static void assertNoPushWasBothDeliveredAndDeadLettered(Pushes pushes, SocketReaders readers,
      List<ClusterSocket> sockets) {
    Set<String> deadLettered = cluster.deadLettered(pushes.sentByConnection());
    Set<String> both = new HashSet<>();
    for (ClusterSocket s : sockets) {
      readers.of(s).stream().filter(deadLettered::contains).forEach(both::add);
    }
    LOG.info("{} push(es) by connection sent, {} dead-lettered, {} both delivered and dead-lettered",
        pushes.sentByConnection().size(), deadLettered.size(), both.size());
    assertEquals(Set.of(), both, "pushes both delivered and dead-lettered");
  }

  private static Map<String, String> viaProxy(String host, int index, List<String> members) {
    Map<String, String> env = new HashMap<>();
    env.put("WXGW_CLUSTER_MEMBERS", String.join(",", members));
    env.put("WXGW_CLUSTER_PUBLIC_HOST", host);
    env.put("WXGW_CLUSTER_PUBLIC_PORT", Integer.toString(cluster.hazelcastPort(3 + index)));
    return env;
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (gw2 != null) {
      gw2.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    for (PartitionProxy proxy : proxies) {
      proxy.close();
    }
  }

  @Test
  @Order(1)
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
      // taken before the signal: the probe that waited on the frozen node may answer before wake() returns
      long wokeAt = System.currentTimeMillis();
      long nanosAtWake = System.nanoTime();
      gw2.wake();

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
      assertNoPushWasBothDeliveredAndDeadLettered(pushes, readers, users.all());
      users.assertEveryOpenSocketGetsItsPush(cluster, readers);
      users.assertShedUsersCanReconnectToTheChild(cluster, gw2, readers);
    }
  }

  @Test
  @Order(2)
  void aGatewayCutOffPastTheMemberTimeoutShedsItsSocketsThenMergesBackWholeWhenThePartitionHeals() throws Exception {
    Users users = Users.connect(cluster, gw2, "split");
    try (SocketReaders readers = new SocketReaders(users.all()); Pushes pushes = Pushes.start(cluster, users)) {
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> users.all().stream()
          .allMatch(s -> !readers.of(s).isEmpty()));

      long cutAt = System.currentTimeMillis();
      long nanosAtCut = System.nanoTime();
      proxies.get(2).cut("*");
      proxies.get(0).cut(CHILD_HOST);
      proxies.get(1).cut(CHILD_HOST);
      long lastCloseNanos = 0;
      for (ClusterSocket s : users.onChild()) {
        TestSocket.Closed closed = s.socket().awaitClose();
        assertEquals(CloseCodes.SERVICE_RESTART, closed.code(), "socket of " + s.user() + " on gw-2: " + closed);
        lastCloseNanos = Math.max(lastCloseNanos, closed.atNanos());
      }
      long shedMs = TimeUnit.NANOSECONDS.toMillis(lastCloseNanos - nanosAtCut);
      Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 2);
      users.awaitSurvivorsPrunedTheChild(cluster);
      assertEquals(503, gw2.readiness(), "gw-2 is not ready while cut off");
      long prunedAt = System.currentTimeMillis();

      proxies.forEach(PartitionProxy::heal);
      long healedAt = System.currentTimeMillis();
      Awaitility.await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
          .until(() -> gw2.readiness() == 200 && cluster.members("gw-1") == 3);
      List<ChildGateway.Readiness> timeline = gw2.timeline();
      LOG.info("partition: cut at 0, gw-2's sockets shed after {} ms, survivors pruned it by {} ms, healed at {} ms; "
          + "gw-2 readiness relative to the heal {}", shedMs, prunedAt - cutAt, healedAt - cutAt,
          relative(timeline, healedAt));
      assertReadinessWasDownWhileOut(timeline, cutAt);

      users.assertSurvivorsStateIsIntact(cluster);
      pushes.close();
      assertNoPushWasBothDeliveredAndDeadLettered(pushes, readers, users.all());
      users.assertEveryOpenSocketGetsItsPush(cluster, readers);
      users.assertShedUsersCanReconnectToTheChild(cluster, gw2, readers);
    }
  }

  /**
   * After the wake (or the cut) the node answered 503 (it knew it was out) before it answered 200 again;
   * {@code wokeAt} is taken before the signal is sent, as a probe pending on the frozen node can get its
   * answer within the time {@code kill} takes to return.
   */
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
