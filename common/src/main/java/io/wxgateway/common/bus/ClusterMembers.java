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
   * {@code localConsumer}) on which the cluster set-up announces that this process rejoined the
   * cluster after a split: the shared maps may have lost what it wrote, so a gateway node registers
   * itself again and re-adds the presence of its users.
   */
  public static final String REJOINED_ADDRESS = "wx.cluster.rejoined";

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
