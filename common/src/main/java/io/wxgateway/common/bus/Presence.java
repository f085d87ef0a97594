package io.wxgateway.common.bus;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.wxgateway.common.ConnectionId;

/**
 * Which gateway nodes hold at least one socket of a user: a Vert.x async map, cluster-wide (a
 * Hazelcast map) when Vert.x is clustered, local to the process otherwise.
 *
 * <p>Key: the user id. Value: the nodes holding that user, as a sorted, comma-separated list of
 * tokens {@code <gateway node id>@<member id>} (see {@link ClusterMembers}); the member id tells the
 * sockets of a dead process apart from those of a newer process with the same gateway node id, so
 * a departed member's tokens can be pruned ({@link #withoutMembers}). A gateway node adds its token
 * when it gains the user's first socket and removes it when it loses the last one; updates are
 * compare-and-set loops, so nodes updating the same user concurrently never lose each other's token.
 *
 * <p>The bridge reads it to route records addressed to a user ({@code ce_userid}), and the admin
 * API to tell whether a user is online and where. Every method is non-blocking.
 */
public final class Presence {

  public static final String MAP_NAME = "wx.presence";

  private static final char SEPARATOR = ',';
  private static final char MEMBER = '@';
  private static final int MAX_ATTEMPTS = 20;

  private final Vertx vertx;

  public Presence(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The gateway node ids holding at least one socket of {@code userId}; empty when the user is offline. */
  public Future<Set<String>> nodesOf(String userId) {
    return map().compose(m -> m.get(userId)).map(Presence::nodeIds);
  }

  public Future<Boolean> isOnline(String userId) {
    return nodesOf(userId).map(nodes -> !nodes.isEmpty());
  }

  /** Records that gateway node {@code nodeId}, run by this process, holds a socket of {@code userId}. */
  public Future<Void> add(String userId, String nodeId) {
    String token = token(nodeId, ClusterMembers.localId(vertx));
    return map().compose(m -> add(m, userId, token, MAX_ATTEMPTS));
  }

  /** Records that gateway node {@code nodeId}, run by this process, holds no socket of {@code userId} any more. */
  public Future<Void> remove(String userId, String nodeId) {
    String token = token(nodeId, ClusterMembers.localId(vertx));
    return map().compose(m -> remove(m, userId, token, MAX_ATTEMPTS));
  }

  private Future<Void> add(AsyncMap<String, String> m, String userId, String token, int attempts) {
    return m.get(userId).compose(current -> {
      if (current == null) {
        return m.putIfAbsent(userId, token).compose(previous -> previous == null ? Future.succeededFuture()
            : retry(attempts, userId, () -> add(m, userId, token, attempts - 1)));
      }
      Set<String> tokens = tokens(current);
      if (!tokens.add(token)) {
        return Future.succeededFuture();
      }
      return m.replaceIfPresent(userId, current, join(tokens)).compose(done -> done ? Future.succeededFuture()
          : retry(attempts, userId, () -> add(m, userId, token, attempts - 1)));
    });
  }

  private Future<Void> remove(AsyncMap<String, String> m, String userId, String token, int attempts) {
    return m.get(userId).compose(current -> {
      if (current == null) {
        return Future.succeededFuture();
      }
      Set<String> tokens = tokens(current);
      if (!tokens.remove(token)) {
        return Future.succeededFuture();
      }
      Future<Boolean> swapped = tokens.isEmpty() ? m.removeIfPresent(userId, current)
          : m.replaceIfPresent(userId, current, join(tokens));
      return swapped.compose(done -> done ? Future.succeededFuture()
          : retry(attempts, userId, () -> remove(m, userId, token, attempts - 1)));
    });
  }

  private static Future<Void> retry(int attempts, String userId, Supplier<Future<Void>> again) {
    if (attempts <= 1) {
      return Future.failedFuture(new IllegalStateException("presence of user " + userId
          + " kept changing: gave up after " + MAX_ATTEMPTS + " attempts"));
    }
    return again.get();
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP_NAME);
  }

  // --- the value format, shared with the cluster's clean-up of departed members ---

  /** {@code <gateway node id>@<member id>}. */
  public static String token(String nodeId, String memberId) {
    return ConnectionId.requireValidNodeId(nodeId) + MEMBER + memberId;
  }

  /**
   * A SQL {@code LIKE} pattern matching every stored value that may hold a token of that member (a
   * pre-filter for map queries: check the match with {@link #withoutMembers}).
   */
  public static String likeMember(String memberId) {
    return "%" + MEMBER + memberId + "%";
  }

  /** A SQL {@code LIKE} pattern matching every stored value that may list that gateway node (check with {@link #nodeIds}). */
  public static String likeNode(String nodeId) {
    return "%" + nodeId + MEMBER + "%";
  }

  /** The gateway node ids in a stored value (null: none). */
  public static Set<String> nodeIds(String value) {
    Set<String> nodes = new LinkedHashSet<>();
    for (String token : tokens(value)) {
      int at = token.indexOf(MEMBER);
      nodes.add(at < 0 ? token : token.substring(0, at));
    }
    return nodes;
  }

  /**
   * The stored value without the tokens of {@code deadMembers}: the same string when none of them
   * appears, null when nothing is left (the entry should be removed).
   */
  public static String withoutMembers(String value, Collection<String> deadMembers) {
    Set<String> tokens = tokens(value);
    boolean changed = tokens.removeIf(t -> {
      int at = t.indexOf(MEMBER);
      return at >= 0 && deadMembers.contains(t.substring(at + 1));
    });
    if (!changed) {
      return value;
    }
    return tokens.isEmpty() ? null : join(tokens);
  }

  private static Set<String> tokens(String value) {
    Set<String> tokens = new TreeSet<>();
    if (value == null || value.isEmpty()) {
      return tokens;
    }
    int start = 0;
    while (start <= value.length()) {
      int end = value.indexOf(SEPARATOR, start);
      if (end < 0) {
        end = value.length();
      }
      if (end > start) {
        tokens.add(value.substring(start, end));
      }
      start = end + 1;
    }
    return tokens;
  }

  private static String join(Set<String> tokens) {
    return String.join(String.valueOf(SEPARATOR), tokens);
  }
}
