package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.BridgeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A delivery to a connection whose session resumed as another connection follows it, across nodes and
 * resumes in a row, and gives up as connection-not-found when the moves do not end or name no connection
 * id. Gateway nodes are stood in for by event-bus consumers (the deploy module's SessionResumeClusterTest
 * runs real ones).
 */
class MovedConnectionRoutingTest {

  private final Vertx vertx = Vertx.vertx();
  private final String first = ConnectionId.generate("gw-1").value();
  private final String second = ConnectionId.generate("gw-1").value();
  private final String third = ConnectionId.generate("gw-2").value();
  private final String loopA = ConnectionId.generate("gw-1").value();
  private final String loopB = ConnectionId.generate("gw-2").value();
  private final String garbled = ConnectionId.generate("gw-1").value();
  /** Old connection id -> the one its session resumed as, as the stand-in nodes answer. */
  private final Map<String, String> moves = Map.of(first, second, second, third, loopA, loopB, loopB, loopA,
      garbled, "not a connection id");
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private DeliveryRouter router;
  private Context context;

  @BeforeEach
  void start() {
    BusCodecs.register(vertx);
    for (String node : List.of("gw-1", "gw-2")) {
      StandInNode.register(vertx, node, d -> {
        asked.add(d.target());
        String movedTo = moves.get(d.target());
        return movedTo != null ? DeliveryResult.moved(d.target(), movedTo) : DeliveryResult.delivered(1);
      });
    }
    context = vertx.getOrCreateContext();
    router = Future.<DeliveryRouter>future(p -> context.runOnContext(v -> p.complete(
        new DeliveryRouter(vertx, new BridgeOptions().setDeliveryTimeoutMs(2_000), new BridgeMetrics(new SimpleMeterRegistry()), "gw-1")))).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aPushToAConnectionWhoseSessionResumedTwiceReachesTheLastSocket() {
    assertTrue(route(first).delivered());
    assertEquals(List.of(first, second, third), asked, "each node asked once, in the order the session moved");
  }

  @Test
  void movesThatNeverEndAreConnectionNotFoundAfterAFewHops() {
    Outcome outcome = route(loopA);
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, outcome.error());
    assertTrue(outcome.detail().contains("resumed as connection"), outcome.detail());
    assertEquals(DeliveryRouter.MAX_MOVES + 1, asked.size(), asked.toString());
  }

  @Test
  void aMoveToSomethingThatIsNotAConnectionIdIsNotFollowed() {
    Outcome outcome = route(garbled);
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, outcome.error());
    assertEquals(List.of(garbled), asked, "no node asked for the garbled id");
  }

  private Outcome route(String connectionId) {
    Delivery delivery = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, connectionId,
        Buffer.buffer("answer"), 0, null, "r-1", System.currentTimeMillis());
    return Future.<Outcome>future(p -> context.runOnContext(v -> router.route(delivery).onComplete(p))).await();
  }
}
