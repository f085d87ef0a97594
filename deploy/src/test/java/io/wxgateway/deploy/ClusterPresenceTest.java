package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.wxgateway.common.bus.Presence;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bridge's reads of the presence map over Hazelcast: two gateway-only nodes and one bridge-only
 * node (which keeps a near cache of the map), a real Kafka broker and real WebSocket clients. Each
 * test has its own user and closes its sockets.
 */
class ClusterPresenceTest {

  private static TestCluster cluster;
  /** A gateway node's Vert.x: it keeps no near cache, so it reads the entry's owner. */
  private static Vertx gateway;
  private static Vertx bridge;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(4); // gw-1, gw-2, br-1; gw-3 joins later
    gateway = cluster.start("gw-1", 0, "gateway").vertx();
    cluster.start("gw-2", 1, "gateway");
    // its copy of the node directory lives ten minutes: only the directory's announcements can refresh it
    bridge = cluster.start("br-1", 2, "bridge", Map.of("WXGW_BRIDGE_DIRECTORY_CACHE_MS", "600000")).vertx();
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 3);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.of("gw-1", "gw-2")));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The bridge reads its near cache for every push: a socket opened on another node after the bridge
   * cached the user, or the user's last socket closed, shows in the very next push. The entry's owner
   * (often a gateway node) sends the invalidations; batched, as Hazelcast does by default, they came
   * up to 10 s late and the second socket missed the push.
   */
  @Test
  void aPushRightAfterAUserConnectsOnAnotherNodeOrGoesOfflineSeesTheChange() {
    ClusterSocket first = cluster.connect("gw-1", "henry", null);
    awaitPresenceAtTheSource("henry", Set.of("gw-1"));
    cluster.send("henry", "one", "ce_userid", "henry");
    assertEquals("one", first.nextText()); // the bridge has read (and cached) henry's presence now

    ClusterSocket second = cluster.connect("gw-2", "henry", null);
    awaitPresenceAtTheSource("henry", Set.of("gw-1", "gw-2"));
    cluster.send("henry", "two", "ce_userid", "henry");
    assertEquals("two", first.nextText());
    assertEquals("two", second.nextText(), "the socket opened after the bridge cached henry's presence");

    first.close();
    second.close();
    awaitPresenceAtTheSource("henry", Set.of());
    cluster.send("henry-gone", "three", "ce_userid", "henry");
    assertEquals("user-offline", header(cluster.deadLetter("henry-gone"), "ce_deliveryerror"));
  }

  /**
   * Broadcasts go by the bridge's copy of the node directory, not by a read of it (a query of every
   * member) per record; every node that joins or leaves announces it, and the very next broadcast
   * reaches a node that just joined and does not ask one that just left.
   */
  @Test
  void aBroadcastRightAfterAGatewayNodeJoinsOrLeavesSeesTheChange() throws Exception {
    ClusterSocket onFirst = cluster.connect("gw-1", "ivy", null);
    cluster.send("bc-1", "one", "ce_type", "wx.socket.broadcast");
    assertEquals("one", onFirst.nextText()); // the bridge has read (and kept) the directory now

    cluster.start("gw-3", 3, "gateway");
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().contains("gw-3"));
    ClusterSocket onThird = cluster.connect("gw-3", "jack", null);
    cluster.send("bc-2", "two", "ce_type", "wx.socket.broadcast");
    assertEquals("two", onFirst.nextText());
    assertEquals("two", onThird.nextText(), "the node that joined after the bridge read the directory");

    onThird.close();
    cluster.remove("gw-3").stop();
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !cluster.directory().contains("gw-3"));
    cluster.send("bc-3", "three", "ce_type", "wx.socket.broadcast", "ce_id", "bc-3");
    assertEquals("three", onFirst.nextText());
    assertEquals(Set.of(), cluster.deadLettered(Set.of("bc-3")), "the node that left was not asked");
    onFirst.close();
  }

  /**
   * Hazelcast completes every async-map read through a callback on the common pool, which on a
   * machine with 2 cores or fewer meant a new thread per read (HazelcastCallbacks). On more cores
   * this passes either way.
   */
  @Test
  void presenceReadsDoNotStartAThreadEach() {
    Presence presence = new Presence(bridge);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = threads.getTotalStartedThreadCount();
    for (int i = 0; i < 500; i++) {
      presence.nodesOf("reader-" + i).await();
    }
    long started = threads.getTotalStartedThreadCount() - before;
    assertTrue(started < 100, started + " threads started for 500 reads");
  }

  /** Until the presence map, read on a gateway node, lists exactly {@code nodeIds}: what the bridge must see next. */
  private static void awaitPresenceAtTheSource(String user, Set<String> nodeIds) {
    Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(20))
        .until(() -> new Presence(gateway).nodesOf(user).await().equals(nodeIds));
  }
}
