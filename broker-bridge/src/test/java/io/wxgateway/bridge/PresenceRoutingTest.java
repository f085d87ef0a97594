package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.BridgeOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing by user through the presence map, and the presence map itself, in one Vert.x instance
 * (the map is local then; the deploy module's ClusterRoutingTest runs the same over Hazelcast).
 * Gateway nodes are stood in for by event-bus consumers on their delivery addresses.
 */
class PresenceRoutingTest {

  private final Vertx vertx = Vertx.vertx();
  private final Presence presence = new Presence(vertx);
  /** Node -> targets of the deliveries it received. */
  private final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private DeliveryRouter router;
  private io.vertx.core.Context context;

  @BeforeEach
  void start() {
    BusCodecs.register(vertx);
    standIn("gw-a", 1);
    standIn("gw-b", 1);
    standIn("gw-stale", 0); // listed for a user whose last socket just closed: reaches nobody
    StandInNode.silent(vertx, "gw-silent");
    context = vertx.getOrCreateContext();
    router = Future.<DeliveryRouter>future(p -> context.runOnContext(v -> p.complete(
        new DeliveryRouter(vertx, new BridgeOptions().setDeliveryTimeoutMs(300), new BridgeMetrics(new SimpleMeterRegistry()), "gw-a")))).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aUserIsReachedOnEveryNodeThePresenceMapListsAndOnlyThere() {
    presence.add("alice", "gw-a").await();
    presence.add("alice", "gw-b").await();
    assertEquals(Set.of("gw-a", "gw-b"), presence.nodesOf("alice").await());

    assertTrue(route(toUser("alice")).delivered());
    assertEquals(List.of("alice"), received.get("gw-a"));
    assertEquals(List.of("alice"), received.get("gw-b"));
    assertNull(received.get("gw-stale"), "a node that does not hold the user is not asked");
  }

  @Test
  void nobodyListedIsUserOfflineWithoutAskingAnyNode() {
    Outcome outcome = route(toUser("nobody"));
    assertEquals(DeliveryError.USER_OFFLINE, outcome.error());
    assertTrue(received.isEmpty());
  }

  @Test
  void theOnlyNodesOfAUserNotAnsweringIsNodeUnreachable() {
    presence.add("bob", "gw-silent").await();
    Outcome outcome = route(toUser("bob"));
    assertEquals(DeliveryError.NODE_UNREACHABLE, outcome.error());
    assertTrue(outcome.detail().contains("did not answer within 300 ms"), outcome.detail());

    presence.add("bob", "gw-gone").await(); // no consumer at all: not in the cluster
    assertEquals(DeliveryError.NODE_UNREACHABLE, route(toUser("bob")).error());
  }

  @Test
  void aStaleEntryThatReachesNobodyIsUserOfflineAndANodeThatDoesNotAnswerIsNamed() {
    presence.add("carol", "gw-stale").await();
    assertEquals(DeliveryError.USER_OFFLINE, route(toUser("carol")).error());

    presence.add("dave", "gw-a").await();
    presence.add("dave", "gw-silent").await();
    Outcome outcome = route(toUser("dave"));
    assertEquals(List.of("dave"), received.get("gw-a"), "delivered where the user is reachable");
    assertEquals(DeliveryError.NODE_UNREACHABLE, outcome.error(), "and the node that did not answer is told");
    assertEquals(List.of("gw-silent"), outcome.unreachedNodes());
  }

  @Test
  void aUserWhoConnectsOnAnotherNodeAfterAPushGetsTheNextPushThereToo() {
    presence.add("frank", "gw-a").await();
    assertTrue(route(toUser("frank")).delivered());
    presence.add("frank", "gw-b").await(); // a second socket, on another node, after the bridge read the presence
    assertTrue(route(toUser("frank")).delivered());
    assertEquals(List.of("frank", "frank"), received.get("gw-a"));
    assertEquals(List.of("frank"), received.get("gw-b"), "no earlier read of the presence hides the new node");
  }

  @Test
  void aUserWhoWentOfflineAfterAPushIsUserOfflineWithoutAskingTheOldNode() {
    presence.add("gina", "gw-a").await();
    assertTrue(route(toUser("gina")).delivered());
    presence.remove("gina", "gw-a").await();
    assertEquals(DeliveryError.USER_OFFLINE, route(toUser("gina")).error());
    assertEquals(List.of("gina"), received.get("gw-a"), "the node she left is not asked again");
  }

  @Test
  void aBroadcastGoesToEveryNodeOfTheDirectory() {
    NodeDirectory directory = new NodeDirectory(vertx);
    directory.register("gw-a").await();
    directory.register("gw-b").await();
    Delivery all = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.ALL, null, Buffer.buffer("hi"),
        0, null, "r-1", System.currentTimeMillis());
    assertTrue(route(all).delivered());
    assertEquals(1, received.get("gw-a").size());
    assertEquals(1, received.get("gw-b").size());
  }

  @Test
  void aNodeThatJoinsTheDirectoryGetsTheNextBroadcastAndOneThatLeavesDoesNot() {
    DeliveryRouter cached = Future.<DeliveryRouter>future(p -> context.runOnContext(v -> p.complete(new DeliveryRouter(
        vertx, new BridgeOptions().setDeliveryTimeoutMs(300).setDirectoryCacheMs(600_000),
        new BridgeMetrics(new SimpleMeterRegistry()), "gw-a")))).await();
    NodeDirectory directory = new NodeDirectory(vertx);
    directory.register("gw-a").await();
    assertTrue(route(cached, broadcast("r-1")).delivered());
    directory.register("gw-b").await(); // announced: the copy kept for ten minutes is read again

    assertTrue(route(cached, broadcast("r-2")).delivered());
    assertEquals(2, received.get("gw-a").size());
    assertEquals(1, received.get("gw-b").size(), "the node that joined got the broadcast after it joined");

    directory.unregister("gw-b").await();
    assertTrue(route(cached, broadcast("r-3")).delivered());
    assertEquals(3, received.get("gw-a").size());
    assertEquals(1, received.get("gw-b").size(), "the node that left is not asked");
  }

  private static Delivery broadcast(String recordId) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.ALL, null, Buffer.buffer("hi"), 0, null,
        recordId, System.currentTimeMillis());
  }

  @Test
  void concurrentUpdatesFromManyNodesNeverLoseEachOther() {
    List<Future<Void>> adds = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      adds.add(presence.add("erin", "gw-" + i));
    }
    Future.all(adds).await();
    assertEquals(12, presence.nodesOf("erin").await().size());

    List<Future<Void>> updates = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      updates.add(i % 2 == 0 ? presence.remove("erin", "gw-" + i) : presence.add("erin", "gw-" + i));
    }
    Future.all(updates).await();
    assertEquals(Set.of("gw-1", "gw-3", "gw-5", "gw-7", "gw-9", "gw-11"), presence.nodesOf("erin").await());

    List<Future<Void>> removals = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      removals.add(presence.remove("erin", "gw-" + i));
    }
    Future.all(removals).await();
    assertEquals(Set.of(), presence.nodesOf("erin").await());
    assertTrue(!presence.isOnline("erin").await());
  }

  @Test
  void theStoredValueNamesNodeAndMemberAndPrunesDepartedMembers() {
    String value = String.join(",", Presence.token("gw-1", "m-1"), Presence.token("gw-1", "m-9"),
        Presence.token("gw-2", "m-2"));
    assertEquals(Set.of("gw-1", "gw-2"), Presence.nodeIds(value));
    assertEquals("gw-1@m-9,gw-2@m-2", Presence.withoutMembers(value, Set.of("m-1")));
    assertEquals(value, Presence.withoutMembers(value, Set.of("m-7")), "unchanged: the same string");
    assertNull(Presence.withoutMembers("gw-1@m-1", Set.of("m-1")), "nothing left: remove the entry");
    assertEquals(Set.of(), Presence.nodeIds(null));
  }

  private Outcome route(Delivery delivery) {
    return route(router, delivery);
  }

  private Outcome route(DeliveryRouter with, Delivery delivery) {
    // on the context that owns the router, as in the bridge verticle
    return Future.<Outcome>future(p -> context.runOnContext(v -> with.route(delivery).onComplete(p))).await();
  }

  private static Delivery toUser(String user) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.USER, user, Buffer.buffer("hi"), 0, null,
        "r-" + user, System.currentTimeMillis());
  }

  /** A gateway node that reaches {@code sockets} sockets of whatever user or broadcast it is sent. */
  private void standIn(String node, int sockets) {
    StandInNode.register(vertx, node, d -> {
      received.computeIfAbsent(node, k -> new CopyOnWriteArrayList<>()).add(String.valueOf(d.target()));
      return DeliveryResult.delivered(sockets);
    });
  }
}
