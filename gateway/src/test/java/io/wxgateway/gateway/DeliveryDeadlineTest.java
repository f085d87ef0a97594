package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryDeadlines;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.connection.Connection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway node of two event loops, one of them blocked (a long GC pause, a task that blocks): the
 * batches for a socket on that loop time out at the sender, which then sends the next one the way the
 * bridge's NodeLink does, with the bridge's own deadlines. When the loop wakes up, the batches the
 * sender gave up on must not reach the socket: they were reported node-unreachable, and they would
 * arrive after their successors. The node's one delivery endpoint is on one of the two loops, so
 * one round blocks the endpoint with the socket (the batches wait unhandled) and the other only the
 * socket (the endpoint hands them on, the writes wait).
 */
class DeliveryDeadlineTest {

  private static final long TIMEOUT_MS = 1_000;

  private final GatewayTestSupport gw = new GatewayTestSupport();
  private final List<TestSocket> sockets = new ArrayList<>();

  @AfterEach
  void stop() {
    sockets.forEach(s -> {
      if (!s.isClosed()) {
        s.close();
      }
    });
    gw.close();
  }

  @Test
  void aBatchThatTimedOutOnABlockedLoopIsNeverWrittenAfterTheNextOne() throws Exception {
    Connection[] onTwoLoops = gw.connectionsOnTwoLoops(sockets);
    DeliveryDeadlines deadlines = new DeliveryDeadlines(TIMEOUT_MS * 3 / 4);
    for (Connection target : onTwoLoops) {
      TestSocket client = socketOf(target);
      Context sender = contextNotOn(target.context());
      assertTrue(send(sender, deadlines, target, "warm-up"), "the first batch is answered");
      assertEquals("warm-up", client.next().asText());

      CountDownLatch release = GatewayTestSupport.stall(target.context(), Duration.ofSeconds(20));
      List<String> timedOut = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        String m = "m" + i;
        assertFalse(send(sender, deadlines, target, m), m + " is not answered while its socket's loop is blocked");
        timedOut.add(m);
      }
      release.countDown();

      threadOf(target.context()); // the woken loop has handled its backlog: its writes come before "last"
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> send(sender, deadlines, target, "last"));
      List<String> received = new ArrayList<>();
      do {
        received.add(client.next().asText());
      } while (!received.contains("last"));
      assertEquals(List.of("last"), received, "the batches that timed out never reach the socket: " + timedOut);
    }
  }

  /** The client end of the session: the one that receives a probe written to it. */
  private TestSocket socketOf(Connection session) {
    Future.<Void>future(p -> session.context().runOnContext(v -> {
      session.write(text(session, "probe"));
      p.complete();
    })).await();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sockets.stream().anyMatch(s -> s.pending() > 0));
    TestSocket client = sockets.stream().filter(s -> s.pending() > 0).findFirst().orElseThrow();
    assertEquals("probe", client.next().asText());
    return client;
  }

  private Context contextNotOn(Context blocked) {
    Thread blockedThread = threadOf(blocked);
    for (int i = 0; i < 16; i++) {
      // a new context on the next event loop: getOrCreateContext() from this thread is always on the same one
      Context candidate = ((VertxInternal) gw.vertx).createEventLoopContext();
      if (threadOf(candidate) != blockedThread) {
        return candidate;
      }
    }
    throw new AssertionError("no event loop other than the blocked one");
  }

  private static Thread threadOf(Context context) {
    return Future.<Thread>future(p -> context.runOnContext(v -> p.complete(Thread.currentThread()))).await();
  }

  /** One batch, as the bridge sends it; true if answered within the timeout. */
  private boolean send(Context sender, DeliveryDeadlines deadlines, Connection target, String message) {
    return Future.<Boolean>future(p -> sender.runOnContext(v -> gw.vertx.eventBus().<Object>request(
        BusAddresses.deliveries("gw-test"), deadlines.batch("gw-test", List.of(text(target, message))),
        new DeliveryOptions().setSendTimeout(TIMEOUT_MS)).onComplete(ar -> {
          if (ar.succeeded()) {
            deadlines.answered("gw-test", (DeliveryResults) ((Message<Object>) ar.result()).body());
          }
          p.complete(ar.succeeded());
        }))).await();
  }

  private static Delivery text(Connection target, String message) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, target.connectionId(),
        Buffer.buffer(message), 0, null, message, 0);
  }
}
