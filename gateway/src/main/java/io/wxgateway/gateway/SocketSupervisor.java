package io.wxgateway.gateway;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;

import io.vertx.core.Vertx;

/**
 * Once a second, looks at every socket of one event loop: sends the periodic ping and closes
 * sockets that went idle, whose token expired, or that reached their maximum lifetime. One timer
 * per event loop rather than per socket keeps 100,000 idle sockets cheap. Used only on its event loop.
 */
final class SocketSupervisor {

  static final long TICK_MS = 1_000;

  private final Set<SocketSession> sessions = new HashSet<>();
  private final Vertx vertx;
  private long timer = -1;

  SocketSupervisor(Vertx vertx) {
    this.vertx = vertx;
  }

  void start() {
    timer = vertx.setPeriodic(TICK_MS, t -> tick());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  void add(SocketSession session) {
    sessions.add(session);
  }

  void remove(SocketSession session) {
    sessions.remove(session);
  }

  private void tick() {
    long now = System.currentTimeMillis();
    for (SocketSession session : new ArrayList<>(sessions)) {
      session.tick(now);
    }
  }
}
