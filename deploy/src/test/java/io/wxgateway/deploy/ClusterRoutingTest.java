package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.SocketSession;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
 * Cluster routing end to end: three gateway-only nodes and one bridge-only node, each a
 * {@link WxRuntime} configured the way an operator would (environment variables), clustered over
 * Hazelcast on 127.0.0.1 (TCP/IP join, multicast off), with a real Kafka broker and real WebSocket
 * clients authenticated by JWT (the user id comes from {@code sub}). Also a bridge in a child JVM
 * killed with SIGKILL mid-stream, and a gateway node whose Hazelcast member is terminated.
 *
 * <p>The tests share one cluster and run in order; each closes the sockets it opened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterRoutingTest {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterRoutingTest.class);

  private static final String INBOUND = KafkaTestBroker.uniqueTopic("in");
  private static final String OUTBOUND = KafkaTestBroker.uniqueTopic("out");
  private static final String DLQ = KafkaTestBroker.uniqueTopic("dlq");
  private static final String GROUP = KafkaTestBroker.uniqueTopic("bridge");
  private static final String CLUSTER = KafkaTestBroker.uniqueTopic("wx-test");
  private static final String SECRET = "a-cluster-test-secret-that-is-long-enough-for-hs256";
  private static final long DELIVERY_TIMEOUT_MS = 3_000;
  private static final String APP_A = "wx0123456789abcdef";
  private static final String APP_B = "wxfedcba9876543210";
  /** Hazelcast ports: gw-1, gw-2, gw-3, br-1, the child bridge, br-2. */
  private static final List<Integer> HZ_PORTS = freePorts(6);
  private static final Map<String, WxRuntime> NODES = new LinkedHashMap<>();
  private static final List<TestSocket> OPEN = new CopyOnWriteArrayList<>();
  private static Vertx clients;
  private static JWTAuth tokens;
  private static Process child;

  @BeforeAll
  static void startCluster() throws Exception {
    KafkaTestBroker.createTopics(4, INBOUND, OUTBOUND, DLQ);
    clients = Vertx.vertx();
    tokens = JWTAuth.create(clients, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    long start = System.nanoTime();
    startNode("gw-1", 0, "gateway");
    startNode("gw-2", 1, "gateway");
    startNode("gw-3", 2, "gateway");
    startNode("br-1", 3, "bridge");
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> members("gw-1") == 4);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
        new NodeDirectory(bridgeVertx()).nodes().await().equals(Set.of("gw-1", "gw-2", "gw-3")));
    LOG.info("cluster of 4 nodes up in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  @AfterAll
  static void stopCluster() {
    OPEN.forEach(s -> {
      try {
        s.close();
      } catch (RuntimeException | AssertionError e) {
        // already gone
      }
    });
    if (child != null) {
      child.destroyForcibly();
    }
    NODES.values().forEach(r -> {
      try {
        r.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping a node: {}", e.toString());
      }
    });
    if (clients != null) {
      clients.close().await();
    }
  }

  // ------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  void aRecordForAConnectionReachesItsNodeWhicheverNodeThatIs() {
    List<Sock> socks = new ArrayList<>();
    for (String node : List.of("gw-1", "gw-2", "gw-3")) {
      socks.add(connect(node, "conn-user-" + node, null));
    }
    for (Sock s : socks) {
      send(record(s.id, "hello " + s.node, "ce_connectionid", s.id));
    }
    for (Sock s : socks) {
      assertEquals("hello " + s.node, s.socket.next().asText(), "the socket on " + s.node);
      assertTrue(s.id.startsWith(s.node + "."), "the connection id names its node");
    }
    // A connection that is gone, on another node than the bridge's: connection-not-found.
    Sock gone = socks.get(1);
    gone.close();
    awaitGone(gone);
    send(record("gone-" + gone.id, "too late", "ce_connectionid", gone.id));
    ConsumerRecord<String, byte[]> letter = deadLetter("gone-" + gone.id);
    assertEquals("connection-not-found", header(letter, "ce_deliveryerror"));
    socks.forEach(Sock::close);
  }

  @Test
  @Order(2)
  void aUserWithSocketsOnTwoNodesReceivesOnBothAndCanBeLoggedOutEverywhere() {
    Sock onOne = connect("gw-1", "alice", null);
    Sock onTwo = connect("gw-2", "alice", null);
    awaitPresence("alice", Set.of("gw-1", "gw-2"));
    assertTrue(new Presence(bridgeVertx()).isOnline("alice").await());

    send(record("alice", "to alice", "ce_userid", "alice"));
    assertEquals("to alice", onOne.socket.next().asText());
    assertEquals("to alice", onTwo.socket.next().asText());

    send(record("nobody-1", "to nobody", "ce_userid", "nobody"));
    assertEquals("user-offline", header(deadLetter("nobody-1"), "ce_deliveryerror"));

    send(record("alice", null, "ce_type", "wx.socket.close", "ce_userid", "alice",
        "ce_closecode", "4003", "ce_closereason", "logged out"));
    assertEquals(4003, onOne.socket.awaitClose().code());
    assertEquals(4003, onTwo.socket.awaitClose().code());
    assertEquals("logged out", onTwo.socket.awaitClose().reason());
    awaitPresence("alice", Set.of());
  }

  @Test
  @Order(3)
  void aBroadcastReachesEverySocketOnEveryNodeOrOnlyThoseOfOneAppId() {
    List<Sock> appA = List.of(connect("gw-1", "b-1", APP_A), connect("gw-3", "b-2", APP_A));
    List<Sock> others = List.of(connect("gw-2", "b-3", APP_B), connect("gw-3", "b-4", null));
    List<Sock> all = new ArrayList<>(appA);
    all.addAll(others);

    send(record("bc-1", "to everyone", "ce_type", "wx.socket.broadcast"));
    for (Sock s : all) {
      assertEquals("to everyone", s.socket.next().asText(), "socket on " + s.node);
    }
    send(record("bc-2", "to app A", "ce_type", "wx.socket.broadcast", "ce_appid", APP_A));
    for (Sock s : appA) {
      assertEquals("to app A", s.socket.next().asText(), "socket of app A on " + s.node);
    }
    send(record("bc-3", "the end", "ce_type", "wx.socket.broadcast"));
    for (Sock s : all) {
      assertEquals("the end", s.socket.next().asText(), "socket on " + s.node + " got nothing else");
    }
    all.forEach(Sock::close);
  }

  @Test
  @Order(4)
  void recordsForOneConnectionArriveInPartitionOrderWhileManyConnectionsInterleave() {
    List<Sock> socks = new ArrayList<>();
    for (String node : List.of("gw-1", "gw-2", "gw-3")) {
      for (int i = 0; i < 3; i++) {
        socks.add(connect(node, "order-" + node + "-" + i, null));
      }
    }
    int perConnection = 60;
    try (KafkaProducer<String, byte[]> producer = KafkaTestBroker.producer()) {
      for (int n = 0; n < perConnection; n++) {
        for (Sock s : socks) {
          producer.send(record(s.id, s.id + "#" + n, "ce_connectionid", s.id, "ce_id", s.id + "#" + n));
        }
      }
      producer.flush();
    }
    for (Sock s : socks) {
      for (int n = 0; n < perConnection; n++) {
        assertEquals(s.id + "#" + n, s.socket.next().asText(), "message " + n + " on " + s.node);
      }
    }
    socks.forEach(Sock::close);
  }

  /**
   * The bridge runs in its own JVM and is killed with SIGKILL while records flow: its uncommitted
   * batch is consumed again by the next bridge of the group. Nothing is lost; duplicates are counted.
   */
  @Test
  @Order(5)
  void aBridgeKilledMidStreamLosesNothingOnceAnotherTakesOver() throws Exception {
    NODES.remove("br-1").stop(); // a clean stop: the group is left, offsets are committed
    List<Sock> socks = new ArrayList<>();
    for (String node : List.of("gw-1", "gw-2", "gw-3")) {
      socks.add(connect(node, "stream-" + node + "-a", null));
      socks.add(connect(node, "stream-" + node + "-b", null));
    }
    Map<String, List<String>> received = new ConcurrentHashMap<>();
    AtomicInteger receivedCount = new AtomicInteger();
    CountDownLatch warmedUp = new CountDownLatch(1);
    AtomicBoolean reading = new AtomicBoolean(true);
    List<Thread> readers = new ArrayList<>();
    for (Sock s : socks) {
      List<String> mine = new CopyOnWriteArrayList<>();
      received.put(s.id, mine);
      Thread reader = new Thread(() -> {
        while (reading.get()) {
          try {
            String message = s.socket.next().asText();
            if (message.equals("warm-up")) {
              warmedUp.countDown();
            } else {
              mine.add(message);
              receivedCount.incrementAndGet();
            }
          } catch (AssertionError quietFor20Seconds) {
            // keep reading until the test is done
          }
        }
      }, "reader-" + s.node);
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    }

    child = startChildBridge();
    // Stream only once the child bridge consumes (its group join done), so the kill lands mid-stream.
    send(record(socks.get(0).id, "warm-up", "ce_connectionid", socks.get(0).id));
    assertTrue(warmedUp.await(60, TimeUnit.SECONDS), "the child bridge delivers");

    int total = 2_000;
    Map<String, String> connectionOf = new HashMap<>();
    CountDownLatch produced = new CountDownLatch(1);
    Thread producerThread = new Thread(() -> {
      try (KafkaProducer<String, byte[]> producer = KafkaTestBroker.producer()) {
        for (int n = 0; n < total; n++) {
          Sock s = socks.get(n % socks.size());
          producer.send(record(s.id, "s-" + n, "ce_connectionid", s.id, "ce_id", "s-" + n));
          if (n % 25 == 24) {
            producer.flush();
            Thread.sleep(25); // about 1 000 records a second, for about 2 s
          }
        }
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        produced.countDown();
      }
    }, "stream-producer");
    for (int n = 0; n < total; n++) {
      connectionOf.put("s-" + n, socks.get(n % socks.size()).id);
    }
    producerThread.start();

    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> receivedCount.get() >= total / 4);
    child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    int atKill = receivedCount.get();
    LOG.info("killed the child bridge (SIGKILL) after {} of {} records were delivered", atKill, total);
    assertTrue(atKill < total, "the kill landed mid-stream");

    startNode("br-2", 5, "bridge");
    assertTrue(produced.await(60, TimeUnit.SECONDS));

    Set<String> all = connectionOf.keySet();
    Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
      Set<String> delivered = distinct(received);
      return delivered.containsAll(all) || union(delivered, deadLettered(all)).containsAll(all);
    });
    reading.set(false);

    Set<String> delivered = distinct(received);
    Set<String> deadLettered = deadLettered(all);
    int deliveries = received.values().stream().mapToInt(List::size).sum();
    int duplicates = deliveries - delivered.size();
    LOG.info("bridge crash accounting: {} records produced, {} delivered ({} deliveries, {} duplicates), "
        + "{} dead-lettered", total, delivered.size(), deliveries, duplicates, deadLettered.size());
    Set<String> missing = new HashSet<>(all);
    missing.removeAll(delivered);
    missing.removeAll(deadLettered);
    assertTrue(missing.isEmpty(), "records neither delivered nor dead-lettered: " + missing);
    assertTrue(delivered.size() + deadLettered.size() >= total, "delivered + dead-lettered covers every record");
    // Every message went to its own connection, and first deliveries keep the partition order.
    for (Sock s : socks) {
      List<Integer> firsts = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      for (String m : received.get(s.id)) {
        assertEquals(s.id, connectionOf.get(m), m + " reached the wrong socket");
        if (seen.add(m)) {
          firsts.add(Integer.parseInt(m.substring(2)));
        }
      }
      List<Integer> sorted = new ArrayList<>(firsts);
      sorted.sort(null);
      assertEquals(sorted, firsts, "first deliveries on " + s.node + " are in partition order");
    }
    socks.forEach(Sock::close);
  }

  /** gw-3's Hazelcast member is terminated (no graceful leave) and its Vert.x closed without undeploying. */
  @Test
  @Order(6)
  void aGatewayNodeThatDiesIsUnreachableAndItsUsersLeaveThePresenceMap() throws Exception {
    Sock carol = connect("gw-3", "carol", null);
    Sock daveThere = connect("gw-3", "dave", null);
    Sock daveHere = connect("gw-1", "dave", null);
    awaitPresence("carol", Set.of("gw-3"));
    awaitPresence("dave", Set.of("gw-1", "gw-3"));

    WxRuntime dying = NODES.remove("gw-3");
    dying.cluster().hazelcast().getLifecycleService().terminate();
    try {
      dying.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.info("closing the dead node's Vert.x: {}", e.toString());
    }
    carol.socket.awaitClose();

    long sentAt = System.currentTimeMillis();
    send(record("dead-1", "to a dead node", "ce_connectionid", carol.id));
    send(record("dead-2", "to a dead node", "ce_connectionid", daveThere.id));
    for (String key : List.of("dead-1", "dead-2")) {
      ConsumerRecord<String, byte[]> letter = deadLetter(key);
      assertEquals("node-unreachable", header(letter, "ce_deliveryerror"), key);
      long took = letter.timestamp() - sentAt;
      LOG.info("{} dead-lettered as node-unreachable {} ms after it was sent: {}", key, took,
          header(letter, "ce_deliverydetail"));
      assertTrue(took < DELIVERY_TIMEOUT_MS + 5_000, key + " was dead-lettered within the delivery timeout, took " + took);
    }

    // The departed member's users leave the presence map, and its node the directory.
    awaitPresence("carol", Set.of());
    awaitPresence("dave", Set.of("gw-1"));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() ->
        !new NodeDirectory(bridgeVertx()).nodes().await().contains("gw-3"));

    send(record("dave-after", "dave, still here", "ce_userid", "dave"));
    assertEquals("dave, still here", daveHere.socket.next().asText());
    send(record("carol-after", "carol?", "ce_userid", "carol"));
    assertEquals("user-offline", header(deadLetter("carol-after"), "ce_deliveryerror"));
    daveHere.close();
  }

  @Test
  @Order(7)
  void aSecondNodeWithTheIdOfALiveNodeIsRefused() {
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> startNode("gw-2", 2, "gateway")); // gw-3's Hazelcast port is free again
    assertTrue(refused.getMessage().contains("already used"), refused.getMessage());
    assertEquals(Set.of("gw-1", "gw-2"), new NodeDirectory(bridgeVertx()).nodes().await());
    Sock still = connect("gw-2", "frank", null);
    send(record(still.id, "gw-2 still answers", "ce_connectionid", still.id));
    assertEquals("gw-2 still answers", still.socket.next().asText());
    still.close();
  }

  // ------------------------------------------------------------------------------------------

  /** One client socket and what the gateway registered for it. */
  private record Sock(String node, String user, String id, TestSocket socket) {
    void close() {
      if (!socket.isClosed()) {
        socket.close();
      }
    }
  }

  private static WxRuntime startNode(String nodeId, int portIndex, String roles) throws Exception {
    Map<String, String> env = new HashMap<>(commonEnv(nodeId, portIndex, roles));
    env.put("WXGW_GATEWAY_PORT", Integer.toString(freePorts(1).get(0)));
    WxConfig config = ConfigLoader.load(null, env);
    testHazelcastProperties().forEach(config.cluster::putProperty);
    WxRuntime runtime = WxRuntime.start(config);
    NODES.put(nodeId, runtime);
    return runtime;
  }

  private static Map<String, String> commonEnv(String nodeId, int portIndex, String roles) {
    Map<String, String> env = new HashMap<>();
    env.put("WXGW_KAFKA_BOOTSTRAP_SERVERS", KafkaTestBroker.bootstrapServers());
    env.put("WXGW_KAFKA_INBOUND_TOPIC", INBOUND);
    env.put("WXGW_KAFKA_OUTBOUND_TOPIC", OUTBOUND);
    env.put("WXGW_KAFKA_DEAD_LETTER_TOPIC", DLQ);
    // a killed bridge's partitions move on after 6 s rather than 45 s
    env.put("WXGW_KAFKA_PROPERTY_SESSION_TIMEOUT_MS", "6000");
    env.put("WXGW_KAFKA_PROPERTY_HEARTBEAT_INTERVAL_MS", "1000");
    env.put("WXGW_NODE_ROLES", roles);
    env.put("WXGW_GATEWAY_NODE_ID", nodeId);
    env.put("WXGW_GATEWAY_HOST", "127.0.0.1");
    env.put("WXGW_GATEWAY_INSTANCES", "1");
    env.put("WXGW_GATEWAY_AUTH_MODE", "jwt");
    env.put("WXGW_GATEWAY_AUTH_SECRET", SECRET);
    env.put("WXGW_MANAGEMENT_HOST", "127.0.0.1");
    env.put("WXGW_MANAGEMENT_PORT", "0");
    env.put("WXGW_BRIDGE_GROUP_ID", GROUP);
    env.put("WXGW_BRIDGE_DELIVERY_TIMEOUT_MS", Long.toString(DELIVERY_TIMEOUT_MS));
    env.put("WXGW_CLUSTER_NAME", CLUSTER);
    env.put("WXGW_CLUSTER_HOST", "127.0.0.1");
    env.put("WXGW_CLUSTER_PORT", Integer.toString(HZ_PORTS.get(portIndex)));
    env.put("WXGW_CLUSTER_MEMBERS", HZ_PORTS.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    env.put("WXGW_CLUSTER_MEMBER_TIMEOUT_SECONDS", "4");
    return env;
  }

  /** Join without the 5 s settling pause, and merge quickly should a slow join form a second cluster. */
  private static Map<String, String> testHazelcastProperties() {
    return Map.of(
        "hazelcast.wait.seconds.before.join", "0",
        "hazelcast.merge.first.run.delay.seconds", "5",
        "hazelcast.merge.next.run.delay.seconds", "5");
  }

  /** A bridge-only node in a child JVM, so it can be killed with SIGKILL. */
  private static Process startChildBridge() throws Exception {
    Path log = Path.of("target", "cluster-child-bridge.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    testHazelcastProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add(ChildBridge.class.getName());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(commonEnv("br-child", 4, "bridge"));
    Process process = pb.start();
    CountDownLatch ready = new CountDownLatch(1);
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
           var out = Files.newBufferedWriter(log)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          out.write(line);
          out.newLine();
          out.flush();
          if (line.equals(ChildBridge.READY)) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the child is gone
      }
    }, "child-bridge-output");
    pump.setDaemon(true);
    pump.start();
    if (!ready.await(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the child bridge did not start; see " + log.toAbsolutePath());
    }
    return process;
  }

  /** Main of the child JVM: a bridge-only node configured from the environment. */
  public static final class ChildBridge {
    static final String READY = "CHILD BRIDGE READY";

    public static void main(String[] args) throws Exception {
      WxConfig config = ConfigLoader.load(null, System.getenv());
      WxRuntime.start(config);
      System.out.println(READY);
      System.out.flush();
      new CountDownLatch(1).await();
    }
  }

  private static Sock connect(String node, String user, String appId) {
    WxRuntime runtime = NODES.get(node);
    Set<String> before = sessionsOf(runtime, user);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (appId != null) {
      headers.add("Referer", "https://servicewechat.com/" + appId + "/0/page-frame.html");
    }
    String token = tokens.generateToken(new JsonObject().put("sub", user),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(600));
    TestSocket socket = TestSocket.connect(clients, runtime.config().gateway.getPort(), "/ws?token=" + token, headers);
    OPEN.add(socket);
    String[] id = new String[1];
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
      Set<String> now = sessionsOf(runtime, user);
      now.removeAll(before);
      id[0] = now.isEmpty() ? null : now.iterator().next();
      return id[0] != null;
    });
    return new Sock(node, user, id[0], socket);
  }

  private static Set<String> sessionsOf(WxRuntime runtime, String user) {
    Set<String> ids = new HashSet<>();
    for (SocketSession s : runtime.gateway().registry().byUser(user)) {
      ids.add(s.connectionId());
    }
    return ids;
  }

  private static void awaitGone(Sock s) {
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> NODES.get(s.node).gateway().registry().get(s.id) == null);
  }

  private static void awaitPresence(String user, Set<String> nodes) {
    Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
        .until(() -> new Presence(bridgeVertx()).nodesOf(user).await().equals(nodes));
  }

  /** Any live node's Vert.x: the maps are cluster-wide. */
  private static Vertx bridgeVertx() {
    WxRuntime any = NODES.containsKey("br-1") ? NODES.get("br-1")
        : NODES.containsKey("br-2") ? NODES.get("br-2") : NODES.get("gw-1");
    return any.vertx();
  }

  private static int members(String node) {
    return NODES.get(node).cluster().hazelcast().getCluster().getMembers().size();
  }

  private static ConsumerRecord<String, byte[]> deadLetter(String key) {
    return KafkaTestBroker.awaitRecords(DLQ, r -> key.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
  }

  /** The ids among {@code ids} found in the dead-letter topic so far. */
  private static Set<String> deadLettered(Set<String> ids) {
    Set<String> found = new HashSet<>();
    try (var consumer = KafkaTestBroker.consumer(List.of(DLQ))) {
      long deadline = System.currentTimeMillis() + 3_000;
      while (System.currentTimeMillis() < deadline) {
        var batch = consumer.poll(Duration.ofMillis(300));
        batch.forEach(r -> {
          String id = header(r, "ce_id");
          if (id != null && ids.contains(id)) {
            found.add(id);
          }
        });
        if (batch.isEmpty() && !consumer.assignment().isEmpty()) {
          break;
        }
      }
    }
    return found;
  }

  private static Set<String> distinct(Map<String, List<String>> received) {
    Set<String> all = new HashSet<>();
    received.values().forEach(all::addAll);
    return all;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return u;
  }

  private static void send(ProducerRecord<String, byte[]> record) {
    KafkaTestBroker.send(record);
  }

  private static ProducerRecord<String, byte[]> record(String key, String value, String... headers) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(OUTBOUND, null, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), h);
  }

  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports.add(s.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // ignore
        }
      }
    }
  }
}
