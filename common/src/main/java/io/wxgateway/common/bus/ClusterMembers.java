package io.wxgateway.common.bus;

import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * The Vert.x cluster members, as the routing maps see them. A member id is the Vert.x node id of
 * one process (a fresh UUID every time the process starts); it is not the gateway node id, which is
 * configured and may be reused by the next incarnation of the same node. The {@link NodeDirectory}
 * and the {@link Presence} map record both, so entries a dead process left behind can be told
 * apart from those of a live process with the same gateway node id.
 */
public final class ClusterMembers {

  /** The member id of a Vert.x instance that is not clustered. */
  public static final String LOCAL = "local";

  /**
   * A local event-bus address (publish with {@code DeliveryOptions#setLocalOnly(true)}, consume with
   * {@code localConsumer}) on which the cluster set-up announces that this process is back in the
   * cluster after it had lost it (or after a split-brain merge): the shared maps may have lost or
   * kept stale what it wrote, so a gateway node registers itself again and writes the presence of
   * every user it holds or the map lists for it, from its registry. The body is a
   * {@code JsonArray} of the user ids the map listed for this node when it came back (may be empty).
   */
  public static final String REJOINED_ADDRESS = "wx.cluster.rejoined";

  /**
   * A local event-bus address on which the cluster set-up announces that this process lost the
   * cluster: it is on a side of a split that cannot prove it is the cluster (a node alone after a
   * pause, the minority of a partition). Nothing routes to it any more, so a gateway node sheds its
   * sockets (close code 1012, clients reconnect to other nodes) and refuses handshakes until
   * {@link #REJOINED_ADDRESS}. No body.
   */
  public static final String LOST_ADDRESS = "wx.cluster.lost";

  private ClusterMembers() {
  }

  /** This process's member id: its Vert.x cluster node id, or {@link #LOCAL} when Vert.x runs alone. */
  public static String localId(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    String id = cm == null ? null : cm.getNodeId();
    return id == null ? LOCAL : id;
  }

  /** Whether that member is in the cluster now; when Vert.x runs alone, only {@link #LOCAL} is. */
  public static boolean isLive(Vertx vertx, String memberId) {
    ClusterManager cm = clusterManager(vertx);
    if (cm == null) {
      return LOCAL.equals(memberId);
    }
    List<String> nodes = cm.getNodes();
    return nodes != null && nodes.contains(memberId);
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return vertx.isClustered() && vertx instanceof VertxInternal internal ? internal.clusterManager() : null;
  }
}
