package io.wxgateway.gateway.connection;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections of this node whose session resumed as another connection, here or on another node
 * (docs/sessions.md): old id to new id. A backend answers the connection a message came from, and
 * the phone may have resumed its session since; a delivery to the old id is answered with the new
 * one, which the bridge then follows, rather than dead-lettered {@code connection-not-found}. The
 * session's holder adds an entry when it hands the session over and removes it (only its own) a
 * resume window later. Thread-safe.
 */
public final class MovedConnections {

  private final ConcurrentHashMap<String, String> movedTo = new ConcurrentHashMap<>();

  /** The session of connection {@code from} goes on as connection {@code to}. */
  public void add(String from, String to) {
    movedTo.put(from, to);
  }

  /** Forgets {@code from}, unless it has moved again since (to another id than {@code to}). */
  public void remove(String from, String to) {
    movedTo.remove(from, to);
  }

  /** The connection id that {@code from}'s session uses now, or null when it did not move. */
  public String movedTo(String from) {
    return movedTo.get(from);
  }
}
