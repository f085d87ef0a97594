package io.wxgateway.gateway.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.AdminAnswer;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.NodeFanOut;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;

/**
 * The per-user socket cap ({@code gateway.socket.maxPerUser}) across the cluster: the presence map
 * says which other nodes hold the user, and their admin endpoints list the user's sockets there.
 * {@code reject-new} refuses a handshake that would exceed the cap (429); {@code close-oldest}
 * closes the oldest sockets beyond it with 4002, wherever they are. Only sockets count: a suspended
 * session's stand-in does not, and a session socket is checked once welcomed, so that its resume has
 * taken over the socket it replaces (4409) before the cap looks. For the same reason close-oldest
 * leaves out the user's session sockets still waiting for their welcome (they are checked at it),
 * while reject-new counts them: they hold their place from the handshake on.
 *
 * <p>Racing handshakes of one user on one node: every enforcement ranks the user's sockets the same
 * way ({@link #NEWEST_FIRST}: open time, then connection id) and closes only those ranked below the
 * newest {@code maxPerUser}, so two enforcements can never close each other's survivor; with
 * {@code reject-new} a handshake holds a {@link Slot} from its check to its registration, so the
 * second of two racing handshakes sees the first. Across nodes the cap stays soft: handshakes racing
 * on two nodes may both pass while the presence map does not list the other node yet, and a node
 * that does not answer is not counted. Non-blocking.
 */
public final class UserCap {

  /** How a node's admin listing marks a suspended session's stand-in. */
  private static final String SUSPENDED = "suspended";
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);
  /** The order every node agrees on, since both values travel with the socket's listing. */
  static final Comparator<JsonObject> NEWEST_FIRST = Comparator.<JsonObject>comparingLong(s -> s.getLong("openedAt", 0L))
      .thenComparing(s -> s.getString("connectionId")).reversed();

  /** A handshake that passed the reject-new check and is not registered yet; release it once it is (or failed). */
  public interface Slot {
    Slot NONE = () -> { };

    void release();
  }

  /** The reject-new cap refused a handshake: the user already holds {@code maxPerUser} sockets. */
  public static final class LimitReached extends RuntimeException {
    LimitReached(int maxPerUser) {
      super("This user already has " + maxPerUser + " open sockets.", null, false, false);
    }
  }

  private final Vertx vertx;
  private final String nodeId;
  private final ConnectionRegistry registry;
  private final Presence presence;
  private final SocketOptions options;
  /** Handshakes per user holding a {@link Slot}; guarded by {@code this}. */
  private final Map<String, Integer> pending = new HashMap<>();

  public UserCap(Vertx vertx, String nodeId, ConnectionRegistry registry, SocketOptions options) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.registry = registry;
    this.presence = new Presence(vertx);
    this.options = options;
  }

  public boolean applies(String userId) {
    return userId != null && options.getMaxPerUser() > 0;
  }

  /**
   * reject-new: fails with {@link LimitReached} when the user already holds the maximum, on any node,
   * counting pending handshakes.
   */
  public Future<Slot> admit(String userId) {
    if (!applies(userId) || !SocketOptions.POLICY_REJECT_NEW.equals(options.getUserCapPolicy())) {
      return Future.succeededFuture(Slot.NONE);
    }
    return remoteSockets(userId, true).compose(remote -> reserve(userId, remote.size()));
  }

  private synchronized Future<Slot> reserve(String userId, int remote) {
    int local = sockets(userId).size() + pending.getOrDefault(userId, 0);
    if (remote + local >= options.getMaxPerUser()) {
      return Future.failedFuture(new LimitReached(options.getMaxPerUser()));
    }
    pending.merge(userId, 1, Integer::sum);
    AtomicBoolean released = new AtomicBoolean();
    return Future.succeededFuture(() -> {
      if (released.compareAndSet(false, true)) {
        synchronized (this) {
          pending.computeIfPresent(userId, (u, n) -> n == 1 ? null : n - 1);
        }
      }
    });
  }

  /**
   * close-oldest: keeps the user's newest {@code maxPerUser} welcomed sockets ({@link #NEWEST_FIRST})
   * and closes the rest with 4002. Completes once the closes are asked for.
   */
  public Future<Void> enforce(Connection opened) {
    if (!applies(opened.userId()) || !SocketOptions.POLICY_CLOSE_OLDEST.equals(options.getUserCapPolicy())) {
      return Future.succeededFuture();
    }
    // A socket still waiting for its welcome may be the resume of one of these: once welcomed it enforces itself.
    return remoteSockets(opened.userId(), false).map(remote -> {
      List<JsonObject> all = new ArrayList<>(remote);
      for (Connection c : sockets(opened.userId())) {
        if (c == opened || !c.awaitsWelcome()) {
          all.add(new JsonObject().put("connectionId", c.connectionId()).put("node", nodeId)
              .put("openedAt", c.openedAt()));
        }
      }
      all.sort(NEWEST_FIRST);
      all.stream().skip(options.getMaxPerUser()).forEach(this::replace);
      return null;
    });
  }

  private void replace(JsonObject socket) {
    String id = socket.getString("connectionId");
    Connection local = registry.get(id);
    if (local != null) {
      local.close(CloseCodes.REPLACED, "replaced by a newer connection");
    } else {
      vertx.eventBus().request(BusAddresses.admin(socket.getString("node")),
          AdminRequest.closeConnection(id, CloseCodes.REPLACED, "replaced by a newer connection"), TIMEOUT);
    }
  }

  private static boolean counts(String state, boolean awaitingWelcome) {
    return !SUSPENDED.equals(state) && (awaitingWelcome || !Connection.AWAITING_WELCOME.equals(state));
  }

  /**
   * The user's sockets here. A suspended session's stand-in is not a socket: counted, it would be
   * the one socket of a one-socket cap, and the phone coming back to resume it would be refused
   * (reject-new) or would end it by replacing it (close-oldest).
   */
  private List<Connection> sockets(String userId) {
    return registry.byUser(userId).stream().filter(c -> !c.standsIn()).toList();
  }

  /**
   * The user's sockets on the other nodes that the presence map lists (their stand-ins left out, as
   * here), with or without those waiting for their welcome.
   */
  private Future<List<JsonObject>> remoteSockets(String userId, boolean awaitingWelcome) {
    AdminRequest list = AdminRequest.list(userId, null, AdminRequest.NO_LIMIT);
    return presence.nodesOf(userId)
        .compose(nodes -> NodeFanOut.ask(nodes.stream().filter(other -> !other.equals(nodeId)).toList(),
            other -> vertx.eventBus().<AdminAnswer>request(BusAddresses.admin(other), list, TIMEOUT).map(m -> m.body())))
        .map(answers -> {
          List<JsonObject> sockets = new ArrayList<>();
          for (AsyncResult<AdminAnswer> a : answers.values()) {
            if (a.succeeded()) {
              a.result().connections().stream().filter(c -> counts(c.getString("state"), awaitingWelcome))
                  .forEach(sockets::add);
            }
          }
          return sockets;
        });
  }
}
