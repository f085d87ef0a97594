package io.wxgateway.common.bus;

import java.util.Map;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.wxgateway.common.ConnectionId;

/**
 * The gateway nodes that hold sockets, kept in a Vert.x async map: local to the process when Vert.x
 * runs alone, cluster-wide (a Hazelcast map) when it is clustered. Key: the gateway node id; value:
 * the {@link ClusterMembers member id} of the process that registered it, so that the entry of a
 * process that left the cluster can be found and removed. The bridge sends broadcasts to every node
 * listed here. Every change is announced once the map has it ({@link BusAddresses#GATEWAYS_CHANGED},
 * published with the node id), so that a bridge may keep a copy instead of reading the map, a query
 * of every member, for every broadcast. Every method is non-blocking.
 */
public final class NodeDirectory {

  public static final String MAP_NAME = "wx.gateway.nodes";

  private final Vertx vertx;

  public NodeDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Lists {@code nodeId} as held by this process. Fails when another live member already holds that
   * node id (two processes configured with one {@code gateway.nodeId} would split its deliveries);
   * the entry of a member that is gone (a previous incarnation of this node) is taken over.
   */
  public Future<Void> register(String nodeId) {
    ConnectionId.requireValidNodeId(nodeId);
    String self = ClusterMembers.localId(vertx);
    return map().compose(m -> register(m, nodeId, self, 5)).onSuccess(v -> announce(nodeId));
  }

  /**
   * Fails when another live member holds {@code nodeId}: check before a gateway node starts taking
   * sockets and deliveries under an id that is already in use ({@link #register} checks again).
   */
  public Future<Void> requireAvailable(String nodeId) {
    String self = ClusterMembers.localId(vertx);
    return map().compose(m -> m.get(nodeId)).compose(holder ->
        holder == null || holder.equals(self) || !ClusterMembers.isLive(vertx, holder) ? Future.succeededFuture()
            : Future.failedFuture(alreadyUsed(nodeId, holder)));
  }

  private static IllegalStateException alreadyUsed(String nodeId, String holder) {
    return new IllegalStateException("gateway node id '" + nodeId + "' is already used by another live cluster member ("
        + holder + "): give every node its own gateway.nodeId");
  }

  private Future<Void> register(AsyncMap<String, String> m, String nodeId, String self, int attempts) {
    return m.putIfAbsent(nodeId, self).compose(previous -> {
      if (previous == null || previous.equals(self)) {
        return Future.succeededFuture();
      }
      if (ClusterMembers.isLive(vertx, previous)) {
        return Future.failedFuture(alreadyUsed(nodeId, previous));
      }
      return m.replaceIfPresent(nodeId, previous, self).compose(replaced -> {
        if (replaced) {
          return Future.succeededFuture();
        }
        return attempts > 1 ? register(m, nodeId, self, attempts - 1)
            : Future.failedFuture(new IllegalStateException("could not register gateway node " + nodeId
                + ": the directory entry kept changing"));
      });
    });
  }

  /** Removes {@code nodeId}, unless another process (a newer incarnation) holds it by now. */
  public Future<Void> unregister(String nodeId) {
    return map().compose(m -> m.removeIfPresent(nodeId, ClusterMembers.localId(vertx)))
        .onSuccess(removed -> announceIf(removed, nodeId)).mapEmpty();
  }

  /** Removes {@code nodeId} if member {@code memberId} still holds it: for cleaning up after a dead member. */
  public Future<Boolean> unregister(String nodeId, String memberId) {
    return map().compose(m -> m.removeIfPresent(nodeId, memberId)).onSuccess(removed -> announceIf(removed, nodeId));
  }

  private void announceIf(boolean changed, String nodeId) {
    if (changed) {
      announce(nodeId);
    }
  }

  /** After the change: a bridge that reads the directory on hearing it sees the change. */
  private void announce(String nodeId) {
    vertx.eventBus().publish(BusAddresses.GATEWAYS_CHANGED, nodeId);
  }

  /** The gateway node ids. */
  public Future<Set<String>> nodes() {
    return map().compose(AsyncMap::keys);
  }

  /** Gateway node id -> member id of the process that holds it. */
  public Future<Map<String, String>> members() {
    return map().compose(AsyncMap::entries);
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP_NAME);
  }
}
