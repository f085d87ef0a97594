package io.wxgateway.gateway;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets open on this node, by connection id and by user. One per node, shared by every
 * gateway verticle instance, so every method is thread-safe; a session adds itself once accepted
 * and removes itself (only its own entry, idempotently) once closed.
 */
public final class ConnectionRegistry {

  private final ConcurrentHashMap<String, SocketSession> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<SocketSession>> byUser = new ConcurrentHashMap<>();

  void add(SocketSession session) {
    if (byId.putIfAbsent(session.connectionId(), session) != null) {
      throw new IllegalStateException("duplicate connection id " + session.connectionId());
    }
    if (session.userId() != null) {
      byUser.computeIfAbsent(session.userId(), u -> ConcurrentHashMap.newKeySet()).add(session);
    }
  }

  void remove(SocketSession session) {
    byId.remove(session.connectionId(), session);
    if (session.userId() != null) {
      byUser.computeIfPresent(session.userId(), (user, sessions) -> {
        sessions.remove(session);
        return sessions.isEmpty() ? null : sessions;
      });
    }
  }

  /** The open socket with that id, or null. */
  public SocketSession get(String connectionId) {
    return byId.get(connectionId);
  }

  /** A snapshot of the user's open sockets on this node. */
  public List<SocketSession> byUser(String userId) {
    Set<SocketSession> sessions = byUser.get(userId);
    return sessions == null ? List.of() : List.copyOf(sessions);
  }

  /** A live, weakly consistent view of every open socket. */
  public Collection<SocketSession> all() {
    return Collections.unmodifiableCollection(byId.values());
  }

  public int size() {
    return byId.size();
  }
}
