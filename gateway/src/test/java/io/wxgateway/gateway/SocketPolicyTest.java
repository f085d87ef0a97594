package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the gateway enforces on open sockets: liveness, lifetime, rates and the per-user cap. */
class SocketPolicyTest {

  private final Vertx signer = Vertx.vertx();
  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    gw.close();
    signer.close().await();
  }

  private void start(SocketOptions socket) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setSocket(socket)
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
  }

  @Test
  void aSilentSocketIsClosedWith4000AfterTheIdleTimeout() {
    start(new SocketOptions().setPingIntervalMs(0).setIdleTimeoutMs(1500));
    TestSocket socket = connect("idle-user");
    TestSocket.Closed closed = socket.awaitClose();
    assertEquals(4000, closed.code());
    assertEquals("idle timeout", closed.reason());
  }

  @Test
  void pongsToServerPingsKeepASocketAlive() {
    start(new SocketOptions().setPingIntervalMs(300).setIdleTimeoutMs(1500));
    TestSocket socket = connect("ponging-user"); // Vert.x answers pings with pongs, as browsers and wx do
    Awaitility.await().during(4, TimeUnit.SECONDS).atMost(6, TimeUnit.SECONDS).until(() -> !socket.isClosed());
    socket.close();
  }

  @Test
  void theApplicationHeartbeatAlsoCountsAsActivity() {
    start(new SocketOptions().setPingIntervalMs(0).setIdleTimeoutMs(1500));
    TestSocket socket = connect("beating-user");
    for (int i = 0; i < 6; i++) {
      socket.sendText("ping");
      assertEquals("pong", socket.next().asText());
      Awaitility.await().pollDelay(500, TimeUnit.MILLISECONDS).until(() -> true);
    }
    assertEquals(false, socket.isClosed());
    socket.close();
  }

  @Test
  void closeOldestReplacesTheOldestSocketOfAUserWith4002() {
    start(new SocketOptions().setMaxPerUser(2));
    TestSocket first = connect("capped");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().byUser("capped").size() == 1);
    TestSocket second = connect("capped");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().byUser("capped").size() == 2);
    TestSocket third = connect("capped");
    TestSocket.Closed closed = first.awaitClose();
    assertEquals(4002, closed.code());
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().byUser("capped").size() == 2);
    assertEquals(false, second.isClosed());
    assertEquals(false, third.isClosed());
  }

  @Test
  void rejectNewRefusesTheExtraSocketWith429() {
    start(new SocketOptions().setMaxPerUser(1).setUserCapPolicy(SocketOptions.POLICY_REJECT_NEW));
    TestSocket first = connect("strict");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> gw.node.registry().byUser("strict").size() == 1);
    int status = TestSocket.rejectedStatus(gw.vertx, TestSocket.connectOptions(gw.port, "/ws").setHeaders(auth("strict")));
    assertEquals(429, status);
    assertEquals(false, first.isClosed());
  }

  @Test
  void aFloodOfMessagesClosesWith1008() {
    start(new SocketOptions().setMessagesPerSecond(5));
    TestSocket socket = connect("flooder");
    try {
      for (int i = 0; i < 30; i++) {
        socket.sendText("m" + i);
      }
    } catch (RuntimeException closedUnderUs) {
      // expected: the gateway closes the socket mid-flood
    }
    TestSocket.Closed closed = socket.awaitClose();
    assertEquals(1008, closed.code());
    assertEquals("rate limit exceeded", closed.reason());
    assertEquals(1, gw.counter("wx.messages.rejected", "reason", "rate-limited"));
  }

  @Test
  void maximumLifetimeEndsWithGoingAway() {
    start(new SocketOptions().setMaxLifetimeMs(1500).setLifetimeJitter(0));
    long start = System.nanoTime();
    TestSocket socket = connect("mortal");
    assertEquals(1001, socket.awaitClose().code());
    assertEquals(true, System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1400));
  }

  private TestSocket connect(String user) {
    return TestSocket.connect(gw.vertx, gw.port, "/ws", auth(user));
  }

  private MultiMap auth(String user) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestKeys.hs256(signer, user, 600));
  }

}
