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
 * A gateway node of two event loops, each with its delivery endpoint, one of them blocked: the
 * batches the event bus hands to that loop time out at the sender, which sends the next ones (to the
 * other loop) the way the bridge's NodeLink does, with the bridge's own deadlines. When the blocked
 * loop wakes up, the batches the sender gave up on must not reach the socket: they would overtake
 * nothing any more, but arrive after their successors and after being reported node-unreachable.
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
    Connection blockedOne = onTwoLoops[0];
    Connection target = onTwoLoops[1];
    TestSocket client = socketOf(target);
    Context sender = contextNotOn(blockedOne.context());
    DeliveryDeadlines deadlines = new DeliveryDeadlines(TIMEOUT_MS * 3 / 4);

    assertTrue(send(sender, deadlines, target, "warm-up"), "the first batch is answered");
    assertEquals("warm-up", client.next().asText());

    CountDownLatch release = GatewayTestSupport.stall(blockedOne.context(), Duration.ofSeconds(20));
    List<String> answered = new ArrayList<>();
    List<String> timedOut = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      String m = "m" + i;
      (send(sender, deadlines, target, m) ? answered : timedOut).add(m);
    }
    release.countDown();
    assertFalse(timedOut.isEmpty(), "some batches went to the blocked loop");
    assertFalse(answered.isEmpty(), "some went to the other loop");

    threadOf(blockedOne.context()); // the woken loop has handled its backlog: its writes come before "last"
    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> send(sender, deadlines, target, "last"));
    List<String> received = new ArrayList<>();
    do {
      received.add(client.next().asText());
    } while (!received.contains("last"));
    assertEquals(append(answered, "last"), received,
        "only the batches answered in time reach the socket, in order (timed out: " + timedOut + ")");
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

  private static List<String> append(List<String> list, String last) {
    List<String> all = new ArrayList<>(list);
    all.add(last);
    return all;
  }
}
