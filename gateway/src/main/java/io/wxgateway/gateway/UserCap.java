package io.wxgateway.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.options.SocketOptions;

/**
 * The per-user socket cap ({@code gateway.socket.maxPerUser}) across the cluster: the presence map
 * says which other nodes hold the user, and their admin endpoints list the user's sockets there.
 * {@code reject-new} refuses a handshake that would exceed the cap (429); {@code close-oldest}
 * closes the oldest sockets beyond it with 4002, wherever they are. A soft cap: two handshakes of one
 * user racing on two nodes may both pass. A node that does not answer is not counted. Non-blocking.
 */
final class UserCap {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final GatewayNode node;
  private final Presence presence;
  private final SocketOptions options;

  UserCap(Vertx vertx, GatewayNode node) {
    this.vertx = vertx;
    this.node = node;
    this.presence = new Presence(vertx);
    this.options = node.options().getSocket();
  }

  boolean applies(String userId) {
    return userId != null && options.getMaxPerUser() > 0;
  }

  /** reject-new: fails with 429 when the user already holds the maximum, on any node. */
  Future<Void> admit(String userId) {
    if (!applies(userId) || !SocketOptions.POLICY_REJECT_NEW.equals(options.getUserCapPolicy())) {
      return Future.succeededFuture();
    }
    return remoteSockets(userId).compose(remote -> {
      int total = remote.size() + node.registry().byUser(userId).size();
      return total >= options.getMaxPerUser()
          ? Future.failedFuture(new HandshakeRejection(429, "user-limit", "This user already has "
              + options.getMaxPerUser() + " open sockets."))
          : Future.succeededFuture();
    });
  }

  /** close-oldest: closes the user's oldest sockets beyond the cap (never {@code newest}) with 4002. */
  void enforce(SocketSession newest) {
    if (!applies(newest.userId()) || !SocketOptions.POLICY_CLOSE_OLDEST.equals(options.getUserCapPolicy())) {
      return;
    }
    remoteSockets(newest.userId()).onSuccess(remote -> {
      List<JsonObject> all = new ArrayList<>(remote);
      for (SocketSession s : node.registry().byUser(newest.userId())) {
        all.add(new JsonObject().put("connectionId", s.connectionId()).put("node", node.nodeId())
            .put("openedAt", s.openedAt()));
      }
      int excess = all.size() - options.getMaxPerUser();
      all.stream().filter(s -> !s.getString("connectionId").equals(newest.connectionId()))
          .sorted(Comparator.comparingLong(s -> s.getLong("openedAt", 0L)))
          .limit(Math.max(0, excess))
          .forEach(this::replace);
    });
  }

  private void replace(JsonObject socket) {
    String id = socket.getString("connectionId");
    SocketSession local = node.registry().get(id);
    if (local != null) {
      local.close(CloseCodes.REPLACED, "replaced by a newer connection");
    } else {
      vertx.eventBus().request(BusAddresses.admin(socket.getString("node")), new JsonObject().put("op", "close")
          .put("connectionId", id).put("code", (int) CloseCodes.REPLACED)
          .put("reason", "replaced by a newer connection"), TIMEOUT);
    }
  }

  /** The user's sockets on the other nodes that the presence map lists. */
  private Future<List<JsonObject>> remoteSockets(String userId) {
    return presence.nodesOf(userId).compose((Set<String> nodes) -> {
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (String other : nodes) {
        if (!other.equals(node.nodeId())) {
          answers.add(vertx.eventBus().<JsonObject>request(BusAddresses.admin(other), new JsonObject()
              .put("op", "list").put("userId", userId), TIMEOUT).map(m -> m.body()));
        }
      }
      return Future.join(answers).transform(ignored -> {
        List<JsonObject> sockets = new ArrayList<>();
        for (Future<JsonObject> a : answers) {
          if (a.succeeded()) {
            a.result().getJsonArray("connections").forEach(c -> sockets.add((JsonObject) c));
          }
        }
        return Future.succeededFuture(sockets);
      });
    });
  }
}
