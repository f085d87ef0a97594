package io.wxgateway.gateway.connection;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, looks at every socket of one event loop ({@link Connection#tick}): the periodic
 * ping, and closing sockets that went idle, whose token expired, or that reached their maximum
 * lifetime. One timer per event loop rather than per socket keeps 100,000 idle sockets cheap. Used
 * only on its event loop.
 *
 * <p>The sockets sit in a plain array (4 bytes a socket, not a hash set's 40-byte node), and the
 * tick walks it without copying it: a removal is only noted (in a set that holds the sockets closed
 * since the last tick, usually none), and the next tick compacts the array as it walks.
 */
public final class SocketSupervisor {

  private static final Logger LOG = LoggerFactory.getLogger(SocketSupervisor.class);

  static final long TICK_MS = 1_000;

  private final Vertx vertx;
  private Connection[] connections = new Connection[16];
  private int size;
  /** Removed since the last tick began: skipped and dropped by the next walk. */
  private Set<Connection> removed = new HashSet<>();
  private Set<Connection> spare = new HashSet<>();
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

  /** Once per connection. */
  public void add(Connection connection) {
    if (size == connections.length) {
      connections = Arrays.copyOf(connections, size * 2);
    }
    connections[size++] = connection;
  }

  /** Idempotent; the connection is not ticked from now on. */
  public void remove(Connection connection) {
    removed.add(connection);
  }

  private void tick() {
    long now = System.currentTimeMillis();
    Set<Connection> dropping = removed;
    removed = spare; // removals during the walk: the walk skips them too, the next one drops them
    int n = size;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      Connection c = connections[i];
      if (dropping.contains(c)) {
        continue;
      }
      connections[kept++] = c;
      if (!removed.contains(c)) {
        try {
          c.tick(now);
        } catch (RuntimeException e) { // one socket's failure must not leave the walk (and the array) half done
          LOG.warn("tick of socket {} failed", c.connectionId(), e);
        }
      }
    }
    // connections added during the walk follow the ones kept
    System.arraycopy(connections, n, connections, kept, size - n);
    int newSize = kept + size - n;
    Arrays.fill(connections, newSize, size, null);
    size = newSize;
    dropping.clear();
    spare = dropping;
    if (connections.length > 64 && size < connections.length / 4) {
      connections = Arrays.copyOf(connections, connections.length / 2);
    }
  }
}
