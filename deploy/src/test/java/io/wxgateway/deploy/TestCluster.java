package io.wxgateway.deploy;

import static io.wxgateway.common.testing.Records.header;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
import io.wxgateway.common.process.ChildJvm;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.connection.Connection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes of one cluster, each a {@link WxRuntime} configured the way an operator would (environment
 * variables), clustered over Hazelcast on 127.0.0.1 (TCP/IP join, multicast off), on the test broker
 * with topics of their own; and clients that authenticate by JWT (the user id is {@code sub}).
 * A node is named by its id and placed by the index of its Hazelcast port.
 */
final class TestCluster implements AutoCloseable {

  /** How long the bridge waits for a gateway node to answer before dead-lettering node-unreachable. */
  static final long DELIVERY_TIMEOUT_MS = 3_000;

  private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);
  private static final String SECRET = "a-cluster-test-secret-that-is-long-enough-for-hs256";

  private final String inbound = KafkaTestBroker.uniqueTopic("in");
  private final String outbound = KafkaTestBroker.uniqueTopic("out");
  private final String deadLetters = KafkaTestBroker.uniqueTopic("dlq");
  private final String receipts = KafkaTestBroker.uniqueTopic("receipts");
  private final String bridgeGroup = KafkaTestBroker.uniqueTopic("bridge");
  private final String clusterName = KafkaTestBroker.uniqueTopic("wx-test");
  private final List<Integer> hazelcastPorts;
  private final Map<String, WxRuntime> nodes = new LinkedHashMap<>();
  private final List<TestSocket> open = new CopyOnWriteArrayList<>();
  private final List<Process> children = new CopyOnWriteArrayList<>();
  private final Vertx clients = Vertx.vertx();
  private final JWTAuth tokens = JWTAuth.create(clients, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));

  /** Every node's Hazelcast port is chosen now, so that each knows all the members. */
  TestCluster(int hazelcastPorts) {
    this.hazelcastPorts = TestEnv.freePorts(hazelcastPorts);
    KafkaTestBroker.createTopics(4, inbound, outbound, deadLetters, receipts);
  }

  // ------------------------------------------------------------------ nodes

  /** Starts a node in process; {@code roles} as WXGW_NODE_ROLES. */
  WxRuntime start(String nodeId, int hazelcastPortIndex, String roles) throws Exception {
    return start(nodeId, hazelcastPortIndex, roles, Map.of());
  }

  /** Starts a node in process with {@code extra} settings over the cluster's. */
  WxRuntime start(String nodeId, int hazelcastPortIndex, String roles, Map<String, String> extra) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(env(nodeId, hazelcastPortIndex, roles));
    env.putAll(extra);
    WxRuntime runtime = WxRuntime.start(FastHazelcast.applyTo(ConfigLoader.load(null, env)));
    nodes.put(nodeId, runtime);
    return runtime;
  }

  /** A bridge-only node in a child JVM, so that it can be killed with SIGKILL. */
  Process startChildBridge(String nodeId, int hazelcastPortIndex) throws Exception {
    Process child = ChildJvm.of(ChildBridge.class)
        .env(env(nodeId, hazelcastPortIndex, "bridge"))
        .systemProperties(FastHazelcast.PROPERTIES)
        .log("cluster-child-bridge.log")
        .start(ChildBridge.READY::equals);
    children.add(child);
    return child;
  }

  /** Takes the node out of this cluster's books; the caller stops (or kills) it. */
  WxRuntime remove(String nodeId) {
    return nodes.remove(nodeId);
  }

  /** The node's Hazelcast member is terminated (no graceful leave) and its Vert.x closed without undeploying. */
  void crash(String nodeId) {
    WxRuntime dying = remove(nodeId);
    dying.cluster().hazelcast().getLifecycleService().terminate();
    try {
      dying.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.info("closing the dead node's Vert.x: {}", e.toString());
    }
  }

  /** The environment of a node of this cluster, as an operator would write it. */
  Map<String, String> env(String nodeId, int hazelcastPortIndex, String roles) {
    return TestEnv.singleNode()
        .topics(inbound, outbound, deadLetters)
        // a killed bridge's partitions move on after 6 s rather than 45 s
        .with("WXGW_KAFKA_PROPERTY_SESSION_TIMEOUT_MS", "6000")
        .with("WXGW_KAFKA_PROPERTY_HEARTBEAT_INTERVAL_MS", "1000")
        .with("WXGW_NODE_ROLES", roles)
        .with("WXGW_GATEWAY_NODE_ID", nodeId)
        .with("WXGW_GATEWAY_INSTANCES", "1")
        .with("WXGW_GATEWAY_AUTH_MODE", "jwt")
        .with("WXGW_GATEWAY_AUTH_SECRET", SECRET)
        .with("WXGW_MANAGEMENT_HOST", "127.0.0.1")
        .with("WXGW_BRIDGE_GROUP_ID", bridgeGroup)
        .with("WXGW_BRIDGE_DELIVERY_TIMEOUT_MS", Long.toString(DELIVERY_TIMEOUT_MS))
        .with("WXGW_CLUSTER_NAME", clusterName)
        .with("WXGW_CLUSTER_HOST", "127.0.0.1")
        .with("WXGW_CLUSTER_PORT", Integer.toString(hazelcastPorts.get(hazelcastPortIndex)))
        .with("WXGW_CLUSTER_MEMBERS", hazelcastPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")))
        .with("WXGW_CLUSTER_MEMBER_TIMEOUT_SECONDS", "4")
        .with("WXGW_KAFKA_RECEIPTS_TOPIC", receipts)
        .build();
  }

  // ------------------------------------------------------------------ what the cluster knows

  /** The Hazelcast port of the member at that index. */
  int hazelcastPort(int index) {
    return hazelcastPorts.get(index);
  }

  /** The Hazelcast members the node sees. */
  int members(String nodeId) {
    return nodes.get(nodeId).cluster().hazelcast().getCluster().getMembers().size();
  }

  /** The gateway nodes in the cluster-wide node directory. */
  Set<String> directory() {
    return new NodeDirectory(anyVertx()).nodes().await();
  }

  boolean isOnline(String user) {
    return new Presence(anyVertx()).isOnline(user).await();
  }

  void awaitPresence(String user, Set<String> nodeIds) {
    Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
        .until(() -> new Presence(anyVertx()).nodesOf(user).await().equals(nodeIds));
  }

  /** Until the socket's node no longer has its connection. */
  void awaitGone(ClusterSocket socket) {
    Awaitility.await().atMost(20, TimeUnit.SECONDS)
        .until(() -> nodes.get(socket.node()).gateway().registry().get(socket.id()) == null);
  }

  /** Any live node's Vert.x, a bridge's by preference: the maps are cluster-wide. */
  private Vertx anyVertx() {
    WxRuntime any = nodes.containsKey("br-1") ? nodes.get("br-1")
        : nodes.containsKey("br-2") ? nodes.get("br-2") : nodes.get("gw-1");
    return any.vertx();
  }

  // ------------------------------------------------------------------ clients

  /** A JWT for {@code user} that the cluster's nodes accept, for the query string ({@code /ws?token=...}). */
  String tokenFor(String user) {
    return tokens.generateToken(new JsonObject().put("sub", user),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(600));
  }

  /** The Vert.x instance the test clients run on. */
  Vertx clients() {
    return clients;
  }

  /** The node's WebSocket port. */
  int gatewayPort(String nodeId) {
    return nodes.get(nodeId).config().gateway.getPort();
  }

  /** The sum of the offsets the bridges' group has committed: records consumed and accounted for. */
  long committedByBridges() throws Exception {
    return KafkaTestBroker.committed(bridgeGroup);
  }

  String inboundTopic() {
    return inbound;
  }

  String receiptsTopic() {
    return receipts;
  }

  String deadLetterTopic() {
    return deadLetters;
  }

  /** Connects {@code user} to the node (as a mini program of {@code appId} if not null) and waits for its session. */
  ClusterSocket connect(String nodeId, String user, String appId) {
    WxRuntime runtime = nodes.get(nodeId);
    Set<String> before = sessionsOf(runtime, user);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (appId != null) {
      headers.add("Referer", "https://servicewechat.com/" + appId + "/0/page-frame.html");
    }
    String token = tokens.generateToken(new JsonObject().put("sub", user),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(600));
    TestSocket socket = TestSocket.connect(clients, runtime.config().gateway.getPort(), "/ws?token=" + token, headers);
    open.add(socket);
    String[] id = new String[1];
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
      Set<String> now = sessionsOf(runtime, user);
      now.removeAll(before);
      id[0] = now.isEmpty() ? null : now.iterator().next();
      return id[0] != null;
    });
    return new ClusterSocket(nodeId, user, id[0], socket);
  }

  /**
   * Connects {@code user} to a gateway node in another process, on its WebSocket port, and learns
   * the connection id from the node's {@code wx.socket.open} record on the inbound topic.
   */
  ClusterSocket connectTo(String nodeId, int gatewayPort, String user) {
    String token = tokens.generateToken(new JsonObject().put("sub", user),
        new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(600));
    TestSocket socket = TestSocket.connect(clients, gatewayPort, "/ws?token=" + token, MultiMap.caseInsensitiveMultiMap());
    open.add(socket);
    String id = header(KafkaTestBroker.awaitRecords(inbound, r -> "wx.socket.open".equals(header(r, "ce_type"))
        && user.equals(header(r, "ce_userid")) && String.valueOf(header(r, "ce_connectionid")).startsWith(nodeId + "."),
        1, Duration.ofSeconds(30)).get(0), "ce_connectionid");
    return new ClusterSocket(nodeId, user, id, socket);
  }

  private static Set<String> sessionsOf(WxRuntime runtime, String user) {
    Set<String> ids = new HashSet<>();
    for (Connection s : runtime.gateway().registry().byUser(user)) {
      ids.add(s.connectionId());
    }
    return ids;
  }

  // ------------------------------------------------------------------ Kafka

  /** A record on the outbound topic; {@code headers} are name, value pairs. */
  ProducerRecord<String, byte[]> record(String key, String value, String... headers) {
    return OutboundRecords.record(outbound, key, OutboundRecords.utf8(value), headers);
  }

  void send(String key, String value, String... headers) {
    KafkaTestBroker.send(record(key, value, headers));
  }

  /**
   * On a thread of its own, produces s-0 to s-(count-1) (value and ce_id), round robin over the
   * sockets' connections, about 1 000 records a second. The latch opens once all are produced.
   */
  CountDownLatch streamInTheBackground(List<ClusterSocket> sockets, int count) {
    CountDownLatch produced = new CountDownLatch(1);
    Thread producer = new Thread(() -> {
      try (KafkaProducer<String, byte[]> kafka = KafkaTestBroker.producer()) {
        for (int n = 0; n < count; n++) {
          ClusterSocket s = sockets.get(n % sockets.size());
          kafka.send(record(s.id(), "s-" + n, "ce_connectionid", s.id(), "ce_id", "s-" + n));
          if (n % 25 == 24) {
            kafka.flush();
            Thread.sleep(25); // pacing, not waiting: 25 records every 25 ms
          }
        }
        kafka.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        produced.countDown();
      }
    }, "stream-producer");
    producer.start();
    return produced;
  }

  /** The dead letter of that key, waiting for it up to 30 s. */
  ConsumerRecord<String, byte[]> deadLetter(String key) {
    return KafkaTestBroker.awaitRecords(deadLetters, r -> key.equals(r.key()), 1, Duration.ofSeconds(30)).get(0);
  }

  /** The ids (ce_id) among {@code ids} found in the dead-letter topic so far. */
  Set<String> deadLettered(Set<String> ids) {
    Set<String> found = new HashSet<>();
    try (var consumer = KafkaTestBroker.consumer(List.of(deadLetters))) {
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

  // ------------------------------------------------------------------

  @Override
  public void close() {
    open.forEach(TestCluster::closeQuietly);
    children.forEach(Process::destroyForcibly);
    nodes.values().forEach(runtime -> {
      try {
        runtime.stop();
      } catch (RuntimeException e) {
        LOG.warn("stopping a node: {}", e.toString());
      }
    });
    clients.close().await();
  }

  private static void closeQuietly(TestSocket socket) {
    try {
      socket.close();
    } catch (RuntimeException | AssertionError e) {
      // already gone
    }
  }
}
