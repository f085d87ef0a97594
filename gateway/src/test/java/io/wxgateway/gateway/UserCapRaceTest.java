package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two handshakes of one user at the same moment, with {@code maxPerUser: 1}, on a node with two event
 * loops: exactly one socket survives. Before, each enforcement spared "its" socket and closed the
 * other, so both clients heard 4002 (which tells the SDK not to come back). Repeated, since one
 * round may not race.
 */
class UserCapRaceTest {

  private static final int ROUNDS = 12;
  private final Vertx clients = Vertx.vertx();
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    threads.shutdownNow();
    clients.close().await();
    gw.close();
  }

  private void start(SocketOptions socket) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2).setSocket(socket)
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
  }

  @Test
  void closeOldestKeepsExactlyOneOfTwoSimultaneousSockets() throws Exception {
    start(new SocketOptions().setMaxPerUser(1));
    for (int round = 1; round <= ROUNDS; round++) {
      List<RacingSocket> sockets = simultaneously(() -> RacingSocket.connect(clients, gw.port, auth("racer")));
      Awaitility.await("round " + round).atMost(15, TimeUnit.SECONDS)
          .until(() -> sockets.stream().anyMatch(RacingSocket::isClosed));
      RacingSocket loser = sockets.get(0).isClosed() ? sockets.get(0) : sockets.get(1);
      RacingSocket survivor = loser == sockets.get(0) ? sockets.get(1) : sockets.get(0);
      assertEquals(4002, loser.closeCode(), "round " + round);
      survivor.ws().writeTextMessage("ping");
      Awaitility.await("round " + round).atMost(15, TimeUnit.SECONDS)
          .until(() -> survivor.isClosed() || !survivor.texts().isEmpty());
      assertFalse(survivor.isClosed(), "round " + round + ": both sockets were closed");
      assertEquals("pong", survivor.texts().poll());
      survivor.ws().close().await();
      awaitNoSocketOf("racer");
    }
  }

  @Test
  void rejectNewLetsExactlyOneOfTwoSimultaneousHandshakesIn() throws Exception {
    start(new SocketOptions().setMaxPerUser(1).setUserCapPolicy(SocketOptions.POLICY_REJECT_NEW));
    for (int round = 1; round <= ROUNDS; round++) {
      List<Object> outcomes = simultaneously(this::connectOrStatus);
      List<TestSocket> open = outcomes.stream().filter(o -> o instanceof TestSocket).map(o -> (TestSocket) o).toList();
      assertEquals(1, open.size(), "round " + round + ": " + outcomes);
      assertEquals(List.of(429), outcomes.stream().filter(o -> o instanceof Integer).toList(), "round " + round);
      open.get(0).close();
      awaitNoSocketOf("racer");
    }
  }

  private Object connectOrStatus() {
    try {
      return TestSocket.connect(clients, gw.port, "/ws", auth("racer"));
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    }
  }

  /** Runs {@code task} twice, released together from two threads. */
  private <T> List<T> simultaneously(Supplier<T> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    List<CompletableFuture<T>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      runs.add(CompletableFuture.supplyAsync(() -> {
        try {
          start.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        return task.get();
      }, threads));
    }
    List<T> results = new ArrayList<>();
    for (CompletableFuture<T> run : runs) {
      results.add(run.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  private void awaitNoSocketOf(String user) {
    Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> gw.node.registry().byUser(user).isEmpty());
  }

  /**
   * A client socket whose handlers are in place before the upgrade's future completes, so a close
   * the server sends right after the 101 is still seen (and its code read).
   */
  record RacingSocket(WebSocket ws, CompletableFuture<Integer> closed, BlockingQueue<String> texts) {

    static RacingSocket connect(Vertx vertx, int port, MultiMap headers) {
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      BlockingQueue<String> texts = new LinkedBlockingQueue<>();
      WebSocket ws = vertx.createWebSocketClient(TestSocket.clientOptions())
          .connect(TestSocket.connectOptions(port, "/ws").setHeaders(headers))
          .onSuccess(s -> {
            try {
              s.textMessageHandler(texts::add);
              s.closeHandler(v -> closed.complete(code(s)));
            } catch (IllegalStateException alreadyClosed) {
              closed.complete(code(s));
            }
          }).await();
      return new RacingSocket(ws, closed, texts);
    }

    private static int code(WebSocket s) {
      return s.closeStatusCode() == null ? 1006 : s.closeStatusCode();
    }

    boolean isClosed() {
      return closed.isDone();
    }

    int closeCode() {
      return closed.join();
    }
  }

  private MultiMap auth(String user) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + TestKeys.hs256(clients, user, 600));
  }
}
