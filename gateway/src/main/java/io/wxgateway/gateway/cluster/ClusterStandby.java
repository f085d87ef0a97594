package io.wxgateway.gateway.cluster;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a gateway node does while its process is out of the cluster ({@link ClusterMembers#LOST_ADDRESS}
 * until {@link ClusterMembers#REJOINED_ADDRESS}): no delivery reaches it any more, so it closes every
 * socket at once with 1012 (service restart; clients reconnect, and the load balancer sends them to
 * a node that is ready) and refuses handshakes with 503. It rejoins empty; {@link ClusterPresence}
 * then writes the truth of its registry.
 */
public final class ClusterStandby {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterStandby.class);
  static final String REASON = "this gateway node lost its cluster; reconnect";

  private final ConnectionRegistry registry;
  private final String nodeId;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private volatile boolean out;

  public ClusterStandby(Vertx vertx, String nodeId, ConnectionRegistry registry) {
    this.registry = registry;
    this.nodeId = nodeId;
    consumers.add(vertx.eventBus().localConsumer(ClusterMembers.LOST_ADDRESS, msg -> shed()));
    consumers.add(vertx.eventBus().localConsumer(ClusterMembers.REJOINED_ADDRESS, msg -> resume()));
  }

  /** True while the node is out of the cluster: handshakes are refused. */
  public boolean isOut() {
    return out;
  }

  private void shed() {
    out = true;
    List<Connection> open = new ArrayList<>(registry.all());
    LOG.warn("gateway node {} is out of the cluster: closing its {} socket(s) with {}, refusing handshakes",
        nodeId, open.size(), CloseCodes.SERVICE_RESTART);
    open.forEach(c -> c.close(CloseCodes.SERVICE_RESTART, REASON));
  }

  private void resume() {
    if (out) {
      LOG.info("gateway node {} is back in the cluster: accepting handshakes ({} socket(s) still closing)",
          nodeId, registry.size());
    }
    out = false;
  }

  public Future<Void> close() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }
}
