package io.wxgateway.gateway.connection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

import io.vertx.core.Vertx;

/**
 * Once a second, looks at every socket of one event loop ({@link Connection#tick}): the periodic
 * ping, and closing sockets that went idle, whose token expired, or that reached their maximum
 * lifetime. One timer per event loop rather than per socket keeps 100,000 idle sockets cheap. Used
 * only on its event loop.
 */
public final class SocketSupervisor {

  static final long TICK_MS = 1_000;

  private final Set<Connection> connections = new HashSet<>();
  private final Vertx vertx;
  private long timer = -1;

  public SocketSupervisor(Vertx vertx) {
    this.vertx = vertx;
  }

  public void start() {
    timer = vertx.setPeriodic(TICK_MS, t -> tick());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  public void add(Connection connection) {
    connections.add(connection);
  }

  /** Idempotent. */
  public void remove(Connection connection) {
    connections.remove(connection);
  }

  private void tick() {
    long now = System.currentTimeMillis();
    for (Connection connection : new ArrayList<>(connections)) {
      connection.tick(now);
    }
  }
}
