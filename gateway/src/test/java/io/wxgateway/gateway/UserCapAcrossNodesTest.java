package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.common.process.Ports;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-user cap counts a user's sockets on every node. Two gateway nodes share one Vert.x here,
 * so they share its presence map and event bus exactly as clustered nodes do (ClusterRoutingTest
 * covers Hazelcast itself).
 */
class UserCapAcrossNodesTest {

  private final Vertx vertx = Vertx.vertx();
  private int portA;
  private int portB;

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private void start(SocketOptions socket) {
    String inbound = KafkaTestBroker.uniqueTopic("wx.inbound");
    KafkaTestBroker.createTopics(2, inbound);
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setInboundTopic(inbound);
    portA = Ports.free();
    portB = Ports.free();
    for (String[] node : new String[][] {{"gw-a", Integer.toString(portA)}, {"gw-b", Integer.toString(portB)}}) {
      GatewayOptions options = new GatewayOptions().setNodeId(node[0]).setHost("127.0.0.1")
          .setPort(Integer.parseInt(node[1])).setInstances(1).setSocket(socket)
          .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET));
      new GatewayNode(options, kafka, new SimpleMeterRegistry()).deploy(vertx).await();
    }
  }

  @Test
  void closeOldestCountsSocketsOnEveryNode() {
    start(new SocketOptions().setMaxPerUser(2));
    TestSocket first = connect(portA, "roaming");
    // A socket's open time is taken once its node runs the upgrade's completion, which may come a few
    // milliseconds after the client has its 101 (CI saw the second socket's time 3 ms before the first's):
    // only once gw-a has registered the first socket is it older than any socket opened after.
    awaitPresence("roaming", Set.of("gw-a"));
    TestSocket second = connect(portB, "roaming");
    awaitPresence("roaming", Set.of("gw-a", "gw-b"));
    TestSocket third = connect(portA, "roaming"); // gw-a alone holds 2: only the cluster-wide count sees 3
    TestSocket.Closed closed = first.awaitClose();
    assertEquals(4002, closed.code());
    assertFalse(second.isClosed());
    assertFalse(third.isClosed());
  }

  @Test
  void rejectNewCountsSocketsOnEveryNode() {
    start(new SocketOptions().setMaxPerUser(2).setUserCapPolicy(SocketOptions.POLICY_REJECT_NEW));
    TestSocket first = connect(portA, "strict");
    TestSocket second = connect(portB, "strict");
    awaitPresence("strict", Set.of("gw-a", "gw-b"));
    assertEquals(429, TestSocket.rejectedStatus(vertx, TestSocket.connectOptions(portA, "/ws")
        .setHeaders(auth("strict"))));
    assertFalse(first.isClosed());
    assertFalse(second.isClosed());
  }

  private void awaitPresence(String user, Set<String> nodes) {
    Presence presence = new Presence(vertx);
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> presence.nodesOf(user).await().equals(nodes));
  }

  private TestSocket connect(int port, String user) {
    return TestSocket.connect(vertx, port, "/ws", auth(user));
  }

  private MultiMap auth(String user) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestKeys.hs256(vertx, user, 600));
  }
}
