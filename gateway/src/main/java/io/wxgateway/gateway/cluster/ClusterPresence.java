package io.wxgateway.gateway.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.connection.UserPresenceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's share of the cluster-wide {@link Presence} map (user -> gateway nodes) in step
 * with its {@link ConnectionRegistry}: the node is listed for a user while it holds at least one of
 * the user's sockets.
 *
 * <p>Every update is a reconciliation, not a replay of the event: when a user's first socket opens
 * or last socket closes, the update that runs reads the registry at that moment and writes what it
 * finds (listed or not). Updates for one user run one after the other, so a quick close-and-reopen
 * can never leave the map in the state of an older event. Never blocks: the listener methods only
 * queue the asynchronous update.
 *
 * <p>While the process is out of the cluster ({@link ClusterMembers#LOST_ADDRESS}) nothing is
 * written: what a side of a split writes is dropped when it merges back. When the cluster set-up
 * announces that the process is back ({@link ClusterMembers#REJOINED_ADDRESS}), the node registers
 * itself in the {@link NodeDirectory} again and reconciles every user it holds and every user the
 * map still lists for it (the announcement carries those): each gets what the registry says now,
 * so users pruned meanwhile are listed again and users whose sockets closed meanwhile are cleared.
 */
public final class ClusterPresence implements UserPresenceListener {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterPresence.class);

  private final Vertx vertx;
  private final String nodeId;
  private final ConnectionRegistry registry;
  private final Presence presence;
  private final ConcurrentHashMap<String, Future<Void>> pending = new ConcurrentHashMap<>();
  private final MessageConsumer<Object> rejoined;
  private final MessageConsumer<Object> lost;
  private volatile boolean standingBy;

  public ClusterPresence(Vertx vertx, String nodeId, ConnectionRegistry registry) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.registry = registry;
    this.presence = new Presence(vertx);
    this.rejoined = vertx.eventBus().localConsumer(ClusterMembers.REJOINED_ADDRESS,
        msg -> resync(msg.body() instanceof JsonArray listed ? listed : new JsonArray()));
    this.lost = vertx.eventBus().localConsumer(ClusterMembers.LOST_ADDRESS, msg -> standingBy = true);
  }

  /** Creates the listener and installs it in {@code registry}; {@link #close()} it when the node stops. */
  public static ClusterPresence install(Vertx vertx, String nodeId, ConnectionRegistry registry) {
    ClusterPresence presence = new ClusterPresence(vertx, nodeId, registry);
    registry.presenceListener(presence);
    return presence;
  }

  @Override
  public void userArrived(String userId) {
    reconcile(userId);
  }

  @Override
  public void userLeft(String userId) {
    reconcile(userId);
  }

  /**
   * Registers the node again and writes the registry's truth for every user it holds and every user
   * in {@code listed} (those the map lists for this node, possibly stale).
   */
  public Future<Void> resync(JsonArray listed) {
    standingBy = false;
    Set<String> users = new HashSet<>();
    for (Connection c : registry.all()) {
      if (c.userId() != null) {
        users.add(c.userId());
      }
    }
    int held = users.size();
    listed.forEach(u -> users.add(String.valueOf(u)));
    LOG.info("gateway node {} is back in the cluster: registering again, reconciling {} user(s) ({} held here, "
        + "{} listed for it)", nodeId, users.size(), held, listed.size());
    List<Future<Void>> updates = new ArrayList<>();
    updates.add(new NodeDirectory(vertx).register(nodeId)
        .onFailure(e -> LOG.error("gateway node {} could not register again: {}", nodeId, e.toString())));
    users.forEach(u -> updates.add(reconcile(u)));
    return Future.join(updates).mapEmpty();
  }

  /** Stops listening for rejoins; completes once the updates already queued have run. */
  public Future<Void> close() {
    List<Future<Void>> inFlight = new ArrayList<>(pending.values());
    return Future.join(rejoined.unregister(), lost.unregister(), Future.join(inFlight)).<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** Queues one update for {@code userId} after the ones already queued for that user. */
  private Future<Void> reconcile(String userId) {
    AtomicReference<Future<Void>> queued = new AtomicReference<>();
    pending.compute(userId, (user, previous) -> {
      Future<Void> before = previous == null ? Future.succeededFuture() : previous;
      queued.set(before.transform(ignored -> write(user)));
      return queued.get();
    });
    Future<Void> mine = queued.get();
    mine.onComplete(ar -> pending.remove(userId, mine));
    return mine;
  }

  private Future<Void> write(String userId) {
    if (standingBy) {
      return Future.succeededFuture(); // the rejoin reconciles this user from the registry
    }
    boolean holds = !registry.byUser(userId).isEmpty();
    Future<Void> update = holds ? presence.add(userId, nodeId) : presence.remove(userId, nodeId);
    return update.recover(e -> {
      LOG.warn("could not {} user presence on node {}: {}", holds ? "record" : "clear", nodeId, e.toString());
      return Future.succeededFuture();
    });
  }
}
