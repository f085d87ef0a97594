package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * Cluster routing end to end: three gateway-only nodes and one bridge-only node (a {@link TestCluster}),
 * a real Kafka broker and real WebSocket clients authenticated by JWT. Also a bridge in a child JVM
 * killed with SIGKILL mid-stream, and a gateway node whose Hazelcast member is terminated.
 *
 * <p>The tests share one cluster and run in order; each closes the sockets it opened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRoutingTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRoutingTest.class);

  private static final List<String> GATEWAYS = List.of("gw-1", "gw-2", "gw-3");
  private static final String APP_A = "wx0123456789abcdef";
  private static final String APP_B = "wxfedcba9876543210";
  /** Records streamed while the child bridge is killed. */
  private static final int STREAM = 2_000;
  private static TestCluster cluster;

  /** Hazelcast port indexes: gw-1, gw-2, gw-3, br-1 (0 to 3); the child bridge 4; br-2 5. */
  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(6);
    long start = System.nanoTime();
    cluster.start("gw-1", 0, "gateway");
    cluster.start("gw-2", 1, "gateway");
    cluster.start("gw-3", 2, "gateway");
    cluster.start("br-1", 3, "bridge");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 4);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> cluster.directory().equals(Set.copyOf(GATEWAYS)));
    LOG.info("cluster of 4 nodes up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aRecordForAConnectionReachesItsNodeWhicheverNodeThatIs() {
    List<ClusterSocket> sockets = new ArrayList<>();
    for (String node : GATEWAYS) {
      sockets.add(cluster.connect(node, "conn-user-" + node, null));
    }
    for (ClusterSocket s : sockets) {
      cluster.send(s.id(), "hello " + s.node(), "ce_connectionid", s.id());
    }
    for (ClusterSocket s : sockets) {
      assertEquals("hello " + s.node(), s.nextText(), "the socket on " + s.node());
      assertTrue(s.id().startsWith(s.node() + "."), "the connection id names its node");
    }
    // A connection that is gone, on another node than the bridge's: connection-not-found.
    ClusterSocket gone = sockets.get(1);
    gone.close();
    cluster.awaitGone(gone);
    cluster.send("gone-" + gone.id(), "too late", "ce_connectionid", gone.id());
    assertEquals("connection-not-found", header(cluster.deadLetter("gone-" + gone.id()), "ce_deliveryerror"));
    sockets.forEach(ClusterSocket::close);
  }

  @Test
  @Order(2)
  void aUserWithSocketsOnTwoNodesReceivesOnBothAndCanBeLoggedOutEverywhere() {
    ClusterSocket onOne = cluster.connect("gw-1", "alice", null);
    ClusterSocket onTwo = cluster.connect("gw-2", "alice", null);
    cluster.awaitPresence("alice", Set.of("gw-1", "gw-2"));
    assertTrue(cluster.isOnline("alice"));

    cluster.send("alice", "to alice", "ce_userid", "alice");
    assertEquals("to alice", onOne.nextText());
    assertEquals("to alice", onTwo.nextText());

    cluster.send("nobody-1", "to nobody", "ce_userid", "nobody");
    assertEquals("user-offline", header(cluster.deadLetter("nobody-1"), "ce_deliveryerror"));

    cluster.send("alice", null, "ce_type", "wx.socket.close", "ce_userid", "alice",
        "ce_closecode", "4003", "ce_closereason", "logged out");
    assertEquals(4003, onOne.socket().awaitClose().code());
    assertEquals(4003, onTwo.socket().awaitClose().code());
    assertEquals("logged out", onTwo.socket().awaitClose().reason());
    cluster.awaitPresence("alice", Set.of());
  }

  @Test
  @Order(3)
  void aBroadcastReachesEverySocketOnEveryNodeOrOnlyThoseOfOneAppId() {
    List<ClusterSocket> appA = List.of(cluster.connect("gw-1", "b-1", APP_A), cluster.connect("gw-3", "b-2", APP_A));
    List<ClusterSocket> others = List.of(cluster.connect("gw-2", "b-3", APP_B), cluster.connect("gw-3", "b-4", null));
    List<ClusterSocket> all = new ArrayList<>(appA);
    all.addAll(others);

    cluster.send("bc-1", "to everyone", "ce_type", "wx.socket.broadcast");
    for (ClusterSocket s : all) {
      assertEquals("to everyone", s.nextText(), "socket on " + s.node());
    }
    cluster.send("bc-2", "to app A", "ce_type", "wx.socket.broadcast", "ce_appid", APP_A);
    for (ClusterSocket s : appA) {
      assertEquals("to app A", s.nextText(), "socket of app A on " + s.node());
    }
    cluster.send("bc-3", "the end", "ce_type", "wx.socket.broadcast");
    for (ClusterSocket s : all) {
      assertEquals("the end", s.nextText(), "socket on " + s.node() + " got nothing else");
    }
    all.forEach(ClusterSocket::close);
  }

  @Test
  @Order(4)
  void recordsForOneConnectionArriveInPartitionOrderWhileManyConnectionsInterleave() {
    List<ClusterSocket> sockets = new ArrayList<>();
    for (String node : GATEWAYS) {
      for (int i = 0; i < 3; i++) {
        sockets.add(cluster.connect(node, "order-" + node + "-" + i, null));
      }
    }
    int perConnection = 60;
    try (KafkaProducer<String, byte[]> producer = KafkaTestBroker.producer()) {
      for (int n = 0; n < perConnection; n++) {
        for (ClusterSocket s : sockets) {
          producer.send(cluster.record(s.id(), s.id() + "#" + n, "ce_connectionid", s.id(), "ce_id", s.id() + "#" + n));
        }
      }
      producer.flush();
    }
    for (ClusterSocket s : sockets) {
      for (int n = 0; n < perConnection; n++) {
        assertEquals(s.id() + "#" + n, s.nextText(), "message " + n + " on " + s.node());
      }
    }
    sockets.forEach(ClusterSocket::close);
  }

  /**
   * The bridge runs in its own JVM and is killed with SIGKILL while records flow: its uncommitted
   * batch is consumed again by the next bridge of the group. Nothing is lost; duplicates are counted.
   */
  @Test
  @Order(5)
  void aBridgeKilledMidStreamLosesNothingOnceAnotherTakesOver() throws Exception {
    cluster.remove("br-1").stop(); // a clean stop: the group is left, offsets are committed
    List<ClusterSocket> sockets = new ArrayList<>();
    for (String node : GATEWAYS) {
      sockets.add(cluster.connect(node, "stream-" + node + "-a", null));
      sockets.add(cluster.connect(node, "stream-" + node + "-b", null));
    }
    Map<String, String> connectionOf = new HashMap<>();
    for (int n = 0; n < STREAM; n++) {
      connectionOf.put("s-" + n, sockets.get(n % sockets.size()).id());
    }
    try (SocketReaders readers = new SocketReaders(sockets)) {
      Process child = cluster.startChildBridge("br-child", 4);
      // Stream only once the child bridge consumes (its group join done), so the kill lands mid-stream.
      cluster.send(sockets.get(0).id(), SocketReaders.WARM_UP, "ce_connectionid", sockets.get(0).id());
      assertTrue(readers.awaitWarmUp(60, TimeUnit.SECONDS), "the child bridge delivers");
      CountDownLatch produced = cluster.streamInTheBackground(sockets, STREAM);

      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> readers.count() >= STREAM / 4);
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      int atKill = readers.count();
      LOG.info("killed the child bridge (SIGKILL) after {} of {} records were delivered", atKill, STREAM);
      assertTrue(atKill < STREAM, "the kill landed mid-stream");

      cluster.start("br-2", 5, "bridge");
      assertTrue(produced.await(60, TimeUnit.SECONDS));
      Set<String> all = connectionOf.keySet();
      Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
        Set<String> delivered = readers.distinct();
        return delivered.containsAll(all) || union(delivered, cluster.deadLettered(all)).containsAll(all);
      });
      readers.close();
      assertEveryRecordDeliveredOrDeadLettered(readers, all);
      assertEachSocketGotOnlyItsOwnRecordsFirstInPartitionOrder(readers, sockets, connectionOf);
    }
    sockets.forEach(ClusterSocket::close);
  }

  private static void assertEveryRecordDeliveredOrDeadLettered(SocketReaders readers, Set<String> all) {
    Set<String> delivered = readers.distinct();
    Set<String> deadLettered = cluster.deadLettered(all);
    int deliveries = readers.count();
    LOG.info("bridge crash accounting: {} records produced, {} delivered ({} deliveries, {} duplicates), "
        + "{} dead-lettered", STREAM, delivered.size(), deliveries, deliveries - delivered.size(), deadLettered.size());
    Set<String> missing = new HashSet<>(all);
    missing.removeAll(delivered);
    missing.removeAll(deadLettered);
    assertTrue(missing.isEmpty(), "records neither delivered nor dead-lettered: " + missing);
    assertTrue(delivered.size() + deadLettered.size() >= STREAM, "delivered + dead-lettered covers every record");
  }

  private static void assertEachSocketGotOnlyItsOwnRecordsFirstInPartitionOrder(SocketReaders readers,
      List<ClusterSocket> sockets, Map<String, String> connectionOf) {
    for (ClusterSocket s : sockets) {
      List<Integer> firsts = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String m : readers.of(s)) {
        assertEquals(s.id(), connectionOf.get(m), m + " reached the wrong socket");
        if (seen.add(m)) {
          firsts.add(Integer.parseInt(m.substring(2)));
        }
      }
      List<Integer> sorted = new ArrayList<>(firsts);
      sorted.sort(null);
      assertEquals(sorted, firsts, "first deliveries on " + s.node() + " are in partition order");
    }
  }

  @Test
  @Order(6)
  void aGatewayNodeThatDiesIsUnreachableAndItsUsersLeaveThePresenceMap() {
    ClusterSocket carol = cluster.connect("gw-3", "carol", null);
    ClusterSocket daveThere = cluster.connect("gw-3", "dave", null);
    ClusterSocket daveHere = cluster.connect("gw-1", "dave", null);
    cluster.awaitPresence("carol", Set.of("gw-3"));
    cluster.awaitPresence("dave", Set.of("gw-1", "gw-3"));

    cluster.crash("gw-3");
    carol.socket().awaitClose();

    long sentAt = System.currentTimeMillis();
    cluster.send("dead-1", "to a dead node", "ce_connectionid", carol.id());
    cluster.send("dead-2", "to a dead node", "ce_connectionid", daveThere.id());
    for (String key : List.of("dead-1", "dead-2")) {
      ConsumerRecord<String, byte[]> letter = cluster.deadLetter(key);
      assertEquals("node-unreachable", header(letter, "ce_deliveryerror"), key);
      long took = letter.timestamp() - sentAt;
      LOG.info("{} dead-lettered as node-unreachable {} ms after it was sent: {}", key, took,
          header(letter, "ce_deliverydetail"));
      assertTrue(took < TestCluster.DELIVERY_TIMEOUT_MS + 5_000,
          key + " was dead-lettered within the delivery timeout, took " + took);
    }

    // The departed member's users leave the presence map, and its node the directory.
    cluster.awaitPresence("carol", Set.of());
    cluster.awaitPresence("dave", Set.of("gw-1"));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> !cluster.directory().contains("gw-3"));

    cluster.send("dave-after", "dave, still here", "ce_userid", "dave");
    assertEquals("dave, still here", daveHere.nextText());
    cluster.send("carol-after", "carol?", "ce_userid", "carol");
    assertEquals("user-offline", header(cluster.deadLetter("carol-after"), "ce_deliveryerror"));
    daveHere.close();
  }

  @Test
  @Order(7)
  void aSecondNodeWithTheIdOfALiveNodeIsRefused() {
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> cluster.start("gw-2", 2, "gateway")); // gw-3's Hazelcast port is free again
    assertTrue(refused.getMessage().contains("already used"), refused.getMessage());
    assertEquals(Set.of("gw-1", "gw-2"), cluster.directory());
    ClusterSocket still = cluster.connect("gw-2", "frank", null);
    cluster.send(still.id(), "gw-2 still answers", "ce_connectionid", still.id());
    assertEquals("gw-2 still answers", still.nextText());
    still.close();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }
}
