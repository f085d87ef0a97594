package io.wxgateway.gateway.connection;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sockets open on this node, by connection id and by user. One per node, shared by every
 * gateway verticle instance, so every method is thread-safe; a session adds itself once accepted
 * and removes itself (only its own entry, idempotently) once closed. A closed session still counts
 * as {@link #ending()} until its close event is handed to Kafka, so a drain waits for it.
 *
 * <p>A user's sockets are an array, replaced (never changed) under the map's lock of that user on
 * every add and remove: a user has one socket or a few, and a set per user (a concurrent map with
 * its table) cost about 180 bytes more on every idle socket of a signed-in user.
 */
public final class ConnectionRegistry {

  private final ConcurrentHashMap<String, Connection> byId = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Connection[]> byUser = new ConcurrentHashMap<>();
  private final AtomicInteger ending = new AtomicInteger();
  /** Entries that are suspended sessions' stand-ins, not sockets. */
  private final AtomicInteger standIns = new AtomicInteger();
  private volatile UserPresenceListener presence = UserPresenceListener.NONE;
  private final MovedConnections moved = new MovedConnections();

  /** Who to tell when a user's first socket opens here and the last one closes. */
  public void presenceListener(UserPresenceListener listener) {
    this.presence = listener;
  }

  public void add(Connection connection) {
    if (byId.putIfAbsent(connection.connectionId(), connection) != null) {
      throw new IllegalStateException("duplicate connection id " + connection.connectionId());
    }
    if (connection.standsIn()) {
      standIns.incrementAndGet();
    }
    if (connection.userId() != null) {
      boolean[] first = new boolean[1];
      byUser.compute(connection.userId(), (user, sockets) -> {
        first[0] = sockets == null;
        return with(sockets, connection);
      });
      if (first[0]) {
        presence.userArrived(connection.userId());
      }
    }
  }

  public void remove(Connection connection) {
    if (byId.remove(connection.connectionId(), connection) && connection.standsIn()) {
      standIns.decrementAndGet();
    }
    if (connection.userId() != null) {
      boolean[] last = new boolean[1];
      byUser.computeIfPresent(connection.userId(), (user, sockets) -> {
        Connection[] rest = without(sockets, connection);
        last[0] = rest != sockets && rest.length == 0;
        return rest.length == 0 ? null : rest;
      });
      if (last[0]) {
        presence.userLeft(connection.userId());
      }
    }
  }

  /** The session's connection is gone: it leaves the registry, and is {@link #ending()} until {@link #ended()}. */
  public void leave(Connection connection) {
    ending.incrementAndGet();
    remove(connection);
  }

  /**
   * The connection is gone but {@code placeholder} (same id, same user) stands in for it: it leaves
   * as {@link #leave} does, yet routing and presence do not change (the user never looks offline).
   */
  public void leaveFor(Connection connection, Connection placeholder) {
    ending.incrementAndGet();
    if (!byId.replace(connection.connectionId(), connection, placeholder)) {
      return;
    }
    standIns.incrementAndGet();
    if (connection.userId() != null) {
      byUser.computeIfPresent(connection.userId(), (user, sockets) -> with(without(sockets, connection), placeholder));
    }
  }

  /** A session that left has handed its close event to Kafka. */
  public void ended() {
    ending.decrementAndGet();
  }

  /** Sessions closed whose close event is not yet handed to Kafka (they still publish what they read). */
  public int ending() {
    return ending.get();
  }

  /** The open socket with that id, or null. */
  public Connection get(String connectionId) {
    return byId.get(connectionId);
  }

  /** Connection ids that left this node's registry because their session resumed as another connection. */
  public MovedConnections moved() {
    return moved;
  }

  /** A snapshot of the user's open sockets on this node. */
  public List<Connection> byUser(String userId) {
    Connection[] sockets = byUser.get(userId);
    return sockets == null ? List.of() : Collections.unmodifiableList(Arrays.asList(sockets)); // never changed
  }

  /** A live, weakly consistent view of every open socket. */
  public Collection<Connection> all() {
    return Collections.unmodifiableCollection(byId.values());
  }

  /** Open sockets: the entries but suspended sessions' stand-ins. */
  public int sockets() {
    return byId.size() - standIns.get();
  }

  public int size() {
    return byId.size();
  }

  /** Users with at least one open socket on this node. */
  public int userCount() {
    return byUser.size();
  }

  /** {@code sockets} (null: none) and {@code connection}, unless it is in them already, in a new array. */
  private static Connection[] with(Connection[] sockets, Connection connection) {
    if (sockets == null) {
      return new Connection[] {connection};
    }
    if (Arrays.asList(sockets).contains(connection)) {
      return sockets;
    }
    Connection[] more = Arrays.copyOf(sockets, sockets.length + 1);
    more[sockets.length] = connection;
    return more;
  }

  /** {@code sockets} without {@code connection}, in a new array; {@code sockets} itself when it is not in them. */
  private static Connection[] without(Connection[] sockets, Connection connection) {
    int at = Arrays.asList(sockets).indexOf(connection);
    if (at < 0) {
      return sockets;
    }
    Connection[] fewer = new Connection[sockets.length - 1];
    System.arraycopy(sockets, 0, fewer, 0, at);
    System.arraycopy(sockets, at + 1, fewer, at, fewer.length - at);
    return fewer;
  }
}
