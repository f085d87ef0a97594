package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The session map on Hazelcast, whose async map has no compare-and-set with a TTL: a session
 * suspended on one gateway node resumes on the other, which drops the first node's placeholder, and
 * the spent token is refused there. Gateway-only nodes (no bridge: the replay is not recovered).
 */
class SessionStoreOnHazelcastTest {

  private static final Map<String, String> SETTINGS = Map.of("WXGW_GATEWAY_AUTH_MODE", "anonymous",
      "WXGW_GATEWAY_SESSION_REPLAY_TIMEOUT_MS", "500");
  private static TestCluster cluster;
  private static WxRuntime first;
  private static WxRuntime second;
  private static final Vertx CLIENTS = Vertx.vertx();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(2);
    first = cluster.start("gw-1", 0, "gateway", SETTINGS);
    second = cluster.start("gw-2", 1, "gateway", SETTINGS);
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> cluster.members("gw-1") == 2);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    CLIENTS.close();
  }

  private static TestSocket connect(WxRuntime node) {
    return TestSocket.connect(CLIENTS, TestSocket.clientOptions(),
        TestSocket.connectOptions(node.config().gateway.getPort(), "/ws").addSubProtocol("wx.session.v1"));
  }

  private static JsonObject hello(TestSocket socket, String token) {
    JsonObject hello = new JsonObject().put("t", "hello").put("v", 1);
    socket.sendText(token == null ? hello.encode() : hello.put("resume", token).encode());
    return new JsonObject(socket.next().asText());
  }

  @Test
  void aSessionSuspendedOnOneNodeResumesOnTheOther() {
    TestSocket phone = connect(first);
    JsonObject welcome = hello(phone, null);
    phone.close();
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> first.gateway().registry().size() == 1
        && first.gateway().registry().sockets() == 0); // the placeholder

    TestSocket back = connect(second);
    JsonObject resumed = hello(back, welcome.getString("token"));
    assertTrue(resumed.getBoolean("resumed"), resumed.encode());
    assertEquals(welcome.getString("session"), resumed.getString("session"));
    JsonObject recovered = new JsonObject(back.next().asText());
    assertEquals("recovered", recovered.getString("t"));
    assertFalse(recovered.getBoolean("recovered"), "no bridge answered");
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> first.gateway().registry().size() == 0);

    TestSocket replayed = connect(first);
    JsonObject refused = hello(replayed, welcome.getString("token"));
    assertFalse(refused.getBoolean("resumed"));
    assertEquals("token-invalid", refused.getString("reason"));
    replayed.close();
    back.close();
  }
}
