package io.wxgateway.common.bus;

import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The gateway nodes that hold sockets, kept in a Vert.x async map: local to the process when Vert.x
 * runs alone, cluster-wide when it is clustered. The bridge asks it where to send deliveries to a
 * user or to everyone. Every method is non-blocking.
 */
public final class NodeDirectory {

  static final String MAP_NAME = "wx.gateway.nodes";

  private final Vertx vertx;

  public NodeDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> register(String nodeId) {
    return map().compose(m -> m.put(nodeId, System.currentTimeMillis()));
  }

  public Future<Void> unregister(String nodeId) {
    return map().compose(m -> m.remove(nodeId)).mapEmpty();
  }

  public Future<Set<String>> nodes() {
    return map().compose(AsyncMap::keys);
  }

  private Future<AsyncMap<String, Long>> map() {
    return vertx.sharedData().getAsyncMap(MAP_NAME);
  }
}
