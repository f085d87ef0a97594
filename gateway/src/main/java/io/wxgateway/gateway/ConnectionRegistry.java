package io.wxgateway.gateway;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sockets open on this node, by connection id and by user. One per node, shared by every
 * gateway verticle instance, so every method is thread-safe; a session adds itself once accepted
 * and removes itself (only its own entry, idempotently) once closed. A closed session still counts
 * as {@link #ending()} until its close event is handed to Kafka, so a drain waits for it.
 */
public final class ConnectionRegistry {

  private final ConcurrentHashMap<String, SocketSession> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<SocketSession>> byUser = new ConcurrentHashMap<>();
  private final AtomicInteger ending = new AtomicInteger();
  private volatile UserPresenceListener presence = UserPresenceListener.NONE;

  /** Who to tell when a user's first socket opens here and the last one closes. */
  public void presenceListener(UserPresenceListener listener) {
    this.presence = listener;
  }

  void add(SocketSession session) {
    if (byId.putIfAbsent(session.connectionId(), session) != null) {
      throw new IllegalStateException("duplicate connection id " + session.connectionId());
    }
    if (session.userId() != null) {
      boolean[] first = new boolean[1];
      byUser.compute(session.userId(), (user, sessions) -> {
        Set<SocketSession> set = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
        first[0] = set.isEmpty();
        set.add(session);
        return set;
      });
      if (first[0]) {
        presence.userArrived(session.userId());
      }
    }
  }

  void remove(SocketSession session) {
    byId.remove(session.connectionId(), session);
    if (session.userId() != null) {
      boolean[] last = new boolean[1];
      byUser.computeIfPresent(session.userId(), (user, sessions) -> {
        last[0] = sessions.remove(session) && sessions.isEmpty();
        return sessions.isEmpty() ? null : sessions;
      });
      if (last[0]) {
        presence.userLeft(session.userId());
      }
    }
  }

  /** The session's connection is gone: it leaves the registry, and is {@link #ending()} until {@link #ended()}. */
  void leave(SocketSession session) {
    ending.incrementAndGet();
    remove(session);
  }

  /** A session that left has handed its close event to Kafka. */
  void ended() {
    ending.decrementAndGet();
  }

  /** Sessions closed whose close event is not yet handed to Kafka (they still publish what they read). */
  public int ending() {
    return ending.get();
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

  /** Users with at least one open socket on this node. */
  public int userCount() {
    return byUser.size();
  }
}
