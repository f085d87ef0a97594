package io.wxgateway.bridge;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryDeadlines;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.options.BridgeOptions;

/**
 * Sends a {@link Delivery} over the event bus to the gateway node(s) that hold its target and turns
 * their answers into an {@link Outcome}. A connection's node comes from its id; a user's nodes come
 * from the cluster-wide {@link Presence} map (no node listed: user-offline, without asking anyone);
 * a broadcast goes to every node in the {@link NodeDirectory}, as this bridge's {@link DirectoryCache}
 * lists them. A node that does not answer within the
 * timeout, or is no longer in the cluster, counts as node-unreachable; a user's or a broadcast's fan-out
 * that misses any node is node-unreachable too, naming the nodes missed (the others did get it: each
 * target node is accounted for, as delivered or as named in the dead letter). Requests to one node go
 * through its {@link NodeLink}, batched and in order. Never fails: every problem becomes a
 * dead-letter outcome. Non-blocking; runs on the bridge verticle's event loop.
 */
final class DeliveryRouter {

  /** How many resumes in a row a delivery to one connection follows (each within a resume window). */
  static final int MAX_MOVES = 4;

  private final Vertx vertx;
  private final NodeDirectory directory;
  private final Presence presence;
  private final FreshReads<Set<String>> presenceReads;
  private final DirectoryCache directoryCache;
  private final DeliveryOptions requestOptions;
  private final DeliveryDeadlines deadlines;
  private final long timeoutMs;
  private final Timer localLatency;
  private final Timer remoteLatency;
  private final String localNodeId;
  /** Links with deliveries queued or in flight; an idle link is dropped (node ids come from records). */
  private final Map<String, NodeLink> links = new HashMap<>();

  /** Call on the bridge verticle's event loop: the directory's announcements are handled there. */
  DeliveryRouter(Vertx vertx, BridgeOptions options, BridgeMetrics metrics, String localNodeId) {
    long timeoutMs = options.getDeliveryTimeoutMs();
    this.vertx = vertx;
    this.localLatency = metrics.eventBusLatency(true);
    this.remoteLatency = metrics.eventBusLatency(false);
    this.localNodeId = localNodeId;
    this.directory = new NodeDirectory(vertx);
    this.presence = new Presence(vertx);
    this.timeoutMs = timeoutMs;
    this.requestOptions = new DeliveryOptions().setSendTimeout(timeoutMs);
    this.deadlines = new DeliveryDeadlines(budgetMs(timeoutMs));
    this.presenceReads = new FreshReads<>(presence::nodesOf);
    this.directoryCache = new DirectoryCache(directory::nodes, options.getDirectoryCacheMs());
    vertx.eventBus().<String>consumer(BusAddresses.GATEWAYS_CHANGED, m -> directoryCache.invalidate());
  }

  /**
   * How long a node has to write a batch: the request's timeout less the time its answer needs to come
   * back (a quarter of the timeout, at most a second), so that what it writes in time is not also
   * reported node-unreachable.
   */
  static long budgetMs(long timeoutMs) {
    return timeoutMs - Math.min(1_000, timeoutMs / 4);
  }

  /**
   * Where a delivery to a user or to everyone goes: the user's nodes from the presence map, read when
   * asked (shared with the other deliveries to the same user that ask while a read is in flight, see
   * {@link FreshReads}), so never older than the delivery; or every node in the directory, as the
   * {@link DirectoryCache} has it (read again after every change the directory announces).
   */
  Future<Set<String>> lookup(Delivery delivery) {
    return switch (delivery.targetKind()) {
      case USER -> presenceReads.get(delivery.target());
      case ALL -> directoryCache.nodes();
      case CONNECTION -> Future.succeededFuture(Set.of(ConnectionId.parse(delivery.target()).nodeId()));
    };
  }

  Future<Outcome> route(Delivery delivery) {
    return delivery.targetKind() == Delivery.TargetKind.CONNECTION ? toConnection(delivery, 0)
        : lookup(delivery).transform(nodes -> handOver(delivery, nodes));
  }

  /**
   * To the connection's node; a connection whose session resumed as another one is followed there (a
   * backend answers the connection a message came from, the phone may have resumed since), at most
   * {@link #MAX_MOVES} times: past that, the last node's connection-not-found stands.
   */
  private Future<Outcome> toConnection(Delivery delivery, int moves) {
    String nodeId = ConnectionId.parse(delivery.target()).nodeId();
    return request(nodeId, delivery).compose(result -> {
      if (result.isMoved() && moves < MAX_MOVES && ConnectionId.isValid(result.movedTo())) {
        return toConnection(delivery.withTarget(Delivery.TargetKind.CONNECTION, result.movedTo()), moves + 1);
      }
      return Future.succeededFuture(result.isHeld()
          ? Outcome.held(result.heldFor(), result.heldUntil(), result.delivered() > 0)
          : result.isSuccess() ? Outcome.DELIVERED : Outcome.failed(result.error(), result.detail()));
    });
  }

  /**
   * Queues a user's or a broadcast's delivery on the link of every node its lookup lists, at once
   * (none: an empty answer, the user is offline), and turns the answers into an outcome; a failed
   * lookup is node-unreachable. The next delivery to the same target may be handed over as soon as
   * this returns: the links keep the order from there.
   */
  Future<Outcome> handOver(Delivery delivery, AsyncResult<Set<String>> lookup) {
    boolean user = delivery.targetKind() == Delivery.TargetKind.USER;
    Function<Throwable, Outcome> failure = e -> Outcome.failed(DeliveryError.NODE_UNREACHABLE, user
        ? "cannot read the presence of user " + delivery.target() + ": " + e.getMessage()
        : "cannot read the gateway node directory: " + e.getMessage());
    if (lookup.failed()) {
      return Future.succeededFuture(failure.apply(lookup.cause()));
    }
    Set<String> nodes = lookup.result();
    Future<Map<String, DeliveryResult>> answers = nodes.isEmpty() ? Future.succeededFuture(Map.of())
        : toNodes(nodes, delivery);
    return answers.map(a -> partial(a).orElseGet(() -> user ? userOutcome(delivery, a) : broadcastOutcome(a)))
        .otherwise(failure);
  }

  /**
   * What each of {@code nodes} answered, failures included, by node, in the order of {@code nodes}.
   * This runs for every record to a user or to everyone: a target on one node (the usual case) costs
   * one small map and no join.
   */
  private Future<Map<String, DeliveryResult>> toNodes(Collection<String> nodes, Delivery delivery) {
    if (nodes.size() == 1) {
      String node = nodes.iterator().next();
      return request(node, delivery).map(result -> Map.of(node, result));
    }
    String[] asked = nodes.toArray(String[]::new);
    List<Future<DeliveryResult>> answers = new ArrayList<>(asked.length);
    for (String node : asked) {
      answers.add(request(node, delivery));
    }
    return Future.join(answers).transform(ignored -> { // never failed: see request
      Map<String, DeliveryResult> results = new LinkedHashMap<>(asked.length * 2);
      for (int i = 0; i < asked.length; i++) {
        results.put(asked[i], answers.get(i).result());
      }
      return Future.succeededFuture(results);
    });
  }

  /**
   * Node-unreachable naming every node that did not answer, when any did not: whatever the others
   * reached, those nodes' sockets did not get the record, and the backend must be able to tell.
   */
  private static Optional<Outcome> partial(Map<String, DeliveryResult> answers) {
    List<String> unreached = new ArrayList<>();
    int reached = 0;
    String why = null;
    for (Map.Entry<String, DeliveryResult> a : answers.entrySet()) {
      if (a.getValue().error() == DeliveryError.NODE_UNREACHABLE) {
        unreached.add(a.getKey());
        why = why == null ? a.getValue().detail() : why;
      } else {
        reached += a.getValue().delivered();
      }
    }
    if (unreached.isEmpty()) {
      return Optional.empty();
    }
    String detail = (unreached.size() == 1 ? why : "gateway nodes " + unreached + " did not answer (" + why + ")")
        + "; " + reached + " socket(s) on " + (answers.size() - unreached.size()) + " other node(s) got it";
    return Optional.of(Outcome.unreached(unreached, detail));
  }

  private Outcome userOutcome(Delivery delivery, Map<String, DeliveryResult> answers) {
    Collection<DeliveryResult> results = answers.values();
    int delivered = 0;
    DeliveryResult failure = null;
    Set<String> heldFor = null; // made for the few held: most records are delivered
    long heldUntil = 0;
    for (DeliveryResult r : results) {
      delivered += r.delivered();
      if (!r.heldFor().isEmpty()) {
        heldFor = heldFor == null ? new LinkedHashSet<>() : heldFor;
        heldFor.addAll(r.heldFor());
      }
      heldUntil = Math.max(heldUntil, r.heldUntil());
      if (!r.isSuccess()) {
        failure = r;
      }
    }
    if (heldFor != null) { // delivered to some socket or not, the held sessions get it on replay
      return Outcome.held(List.copyOf(heldFor), heldUntil, delivered > 0);
    }
    if (delivered > 0) {
      return Outcome.DELIVERED;
    }
    if (failure != null) {
      return Outcome.failed(failure.error(), failure.detail());
    }
    return Outcome.failed(DeliveryError.USER_OFFLINE, "user " + delivery.target() + " has no open socket");
  }

  /** A broadcast reaches whoever is online, possibly nobody: that is not an error. */
  private static Outcome broadcastOutcome(Map<String, DeliveryResult> answers) {
    for (DeliveryResult r : answers.values()) {
      if (r.isSuccess()) {
        return Outcome.DELIVERED;
      }
    }
    return answers.isEmpty() ? Outcome.DELIVERED : answers.values().stream().findFirst()
        .map(r -> Outcome.failed(r.error(), r.detail())).orElseThrow();
  }

  /** Asks one node; an event-bus failure becomes a failed result rather than a failed future. */
  private Future<DeliveryResult> request(String nodeId, Delivery delivery) {
    return links.computeIfAbsent(nodeId, id -> new NodeLink(vertx, id, requestOptions, deadlines,
        id.equals(localNodeId) ? localLatency : remoteLatency, cause -> unreachable(id, cause),
        () -> links.computeIfPresent(id, (k, link) -> link.idle() ? null : link))).send(delivery);
  }

  private DeliveryResult unreachable(String nodeId, Throwable cause) {
    String detail;
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      deadlines.forget(nodeId);
      directoryCache.invalidate(); // the node left, and this bridge may not have heard it yet
      detail = "gateway node " + nodeId + " is not in the cluster";
    } else if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      detail = "gateway node " + nodeId + " did not answer within " + timeoutMs + " ms";
    } else {
      detail = "gateway node " + nodeId + " failed: " + cause.getMessage();
    }
    return DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, detail);
  }
}
