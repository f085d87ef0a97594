package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.AdminAnswer;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's admin endpoint on the event bus, and the graceful drain. */
class AdminAndDrainTest {

  private final Vertx signer = Vertx.vertx();
  private GatewayTestSupport gw;

  @BeforeEach
  void start() {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2)
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
  }

  @AfterEach
  void stop() {
    gw.close();
    signer.close().await();
  }

  @Test
  void listsDescribesAndClosesSocketsByConnectionAndByUser() {
    TestSocket alice1 = connect("alice");
    TestSocket alice2 = connect("alice");
    TestSocket bob = connect("bob");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 3);

    AdminAnswer all = admin(AdminRequest.list(null, null, AdminRequest.NO_LIMIT));
    assertEquals(3, all.count());
    AdminAnswer alices = admin(AdminRequest.list("alice", null, AdminRequest.NO_LIMIT));
    assertEquals(2, alices.count());
    String bobsId = admin(AdminRequest.list("bob", null, AdminRequest.NO_LIMIT)).connections().get(0)
        .getString("connectionId");
    JsonObject detail = admin(AdminRequest.get(bobsId)).connection();
    assertEquals("bob", detail.getString("userId"));
    assertTrue(detail.containsKey("messagesIn") && detail.containsKey("remoteAddress"), detail.encode());

    assertEquals(1, admin(AdminRequest.closeConnection(bobsId, AdminRequest.DEFAULT_CLOSE_CODE,
        AdminRequest.DEFAULT_CLOSE_REASON)).count());
    assertEquals(4003, bob.awaitClose().code());
    AdminAnswer closed = admin(AdminRequest.closeUser("alice", 4100, "logged out everywhere"));
    assertEquals(2, closed.count());
    assertEquals(4100, alice1.awaitClose().code());
    assertEquals("logged out everywhere", alice2.awaitClose().reason());
  }

  @Test
  void badAdminRequestsAreRefusedWithAStatus() {
    ReplyException notFound = adminFailure(AdminRequest.get("gw-test.nope"));
    assertEquals(404, notFound.failureCode());
    assertEquals(400, adminFailure(AdminRequest.closeUser("u", 1011, null)).failureCode());
    assertEquals(400, adminFailure(AdminRequest.closeUser("u", 4000, "x".repeat(124))).failureCode());
    AdminRequest closeWithoutTarget = new AdminRequest(AdminRequest.Op.CLOSE, null, null, null, 0, 4000, null);
    assertEquals(400, adminFailure(closeWithoutTarget).failureCode());
  }

  @Test
  void drainClosesEverySocketWith1001SpreadOverTheWindowAndRefusesNewOnes() {
    List<TestSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sockets.add(connect("user-" + i));
    }
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> gw.node.registry().size() == 20);
    long start = System.nanoTime();
    io.vertx.core.Future<Void> drained = gw.node.drain(1000);
    assertEquals(503, TestSocket.rejectedStatus(gw.vertx, TestSocket.connectOptions(gw.port, "/ws")
        .setHeaders(auth("late"))));
    List<Long> closedAtMs = new ArrayList<>();
    for (TestSocket s : sockets) {
      TestSocket.Closed closed = s.awaitClose();
      assertEquals(1001, closed.code());
      closedAtMs.add((closed.atNanos() - start) / 1_000_000);
    }
    try {
      drained.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the drain did not complete", e);
    }
    long first = closedAtMs.stream().mapToLong(Long::longValue).min().orElseThrow();
    long last = closedAtMs.stream().mapToLong(Long::longValue).max().orElseThrow();
    assertTrue(last - first >= 600, "closes spread over the window, not all at once: " + closedAtMs);
  }

  private TestSocket connect(String user) {
    return TestSocket.connect(gw.vertx, gw.port, "/ws", auth(user));
  }

  private MultiMap auth(String user) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestKeys.hs256(signer, user, 600));
  }

  private AdminAnswer admin(AdminRequest request) {
    return gw.vertx.eventBus().<AdminAnswer>request(BusAddresses.admin("gw-test"), request).await().body();
  }

  private ReplyException adminFailure(AdminRequest request) {
    try {
      admin(request);
      throw new AssertionError("the request succeeded: " + request);
    } catch (ReplyException e) {
      return e;
    }
  }
}
