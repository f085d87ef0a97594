package io.wxgateway.gateway.admin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.AdminAnswer;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.metrics.GatewayMetrics;

/**
 * This node's side of the admin API, on {@link BusAddresses#admin(String)}: list and describe its
 * sockets, close one or all of a user's, and report its stats. The management port fans requests
 * out to every node and merges the answers. Failures reply with 400 or 404 and a message.
 */
public final class AdminEndpoint {

  static final int MAX_PAGE = 1000;

  private final String nodeId;
  private final ConnectionRegistry registry;
  private final GatewayMetrics metrics;
  private final BooleanSupplier draining;

  public AdminEndpoint(String nodeId, ConnectionRegistry registry, GatewayMetrics metrics, BooleanSupplier draining) {
    this.nodeId = nodeId;
    this.registry = registry;
    this.metrics = metrics;
    this.draining = draining;
  }

  public void handle(Message<AdminRequest> message) {
    AdminRequest request = message.body();
    Future<AdminAnswer> answer = switch (request.op()) {
      case LIST -> list(request);
      case GET -> get(request.connectionId());
      case CLOSE -> close(request);
      case STATS -> Future.succeededFuture(AdminAnswer.stats(stats()));
    };
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else {
        message.fail(ar.cause() instanceof NotFound ? 404 : 400, ar.cause().getMessage());
      }
    });
  }

  /** Every matching socket of this node (at most {@value #MAX_PAGE}), oldest first. */
  private Future<AdminAnswer> list(AdminRequest request) {
    String userId = request.userId();
    String appId = request.appId();
    List<Connection> matching = new ArrayList<>();
    for (Connection c : userId != null ? registry.byUser(userId) : registry.all()) {
      if (appId == null || appId.equals(c.appId())) {
        matching.add(c);
      }
    }
    matching.sort(Comparator.comparingLong(Connection::openedAt));
    int limit = Math.min(request.limit(), MAX_PAGE);
    List<Future<JsonObject>> described = matching.stream().limit(limit).map(Connection::describe).toList();
    return Future.all(described).map(all -> AdminAnswer.listing(matching.size(), all.list()));
  }

  private Future<AdminAnswer> get(String connectionId) {
    Connection connection = connectionId == null ? null : registry.get(connectionId);
    return connection == null ? Future.failedFuture(new NotFound("no open socket " + connectionId))
        : connection.describe().map(AdminAnswer::connection);
  }

  private Future<AdminAnswer> close(AdminRequest request) {
    int code = request.closeCode();
    String reason = request.closeReason();
    if (!CloseCodes.isAllowedForBackends(code) && code != CloseCodes.GOING_AWAY) {
      return Future.failedFuture("code " + code + " is not allowed: use 1000, 1001 or 3000-4999");
    }
    if (!CloseCodes.isReasonAllowed(reason)) {
      return Future.failedFuture("the reason is over " + CloseCodes.MAX_REASON_BYTES + " UTF-8 bytes");
    }
    List<Connection> targets = new ArrayList<>();
    if (request.connectionId() != null) {
      Connection c = registry.get(request.connectionId());
      if (c != null) {
        targets.add(c);
      }
    } else if (request.userId() != null) {
      targets.addAll(registry.byUser(request.userId()));
    } else {
      return Future.failedFuture("close needs a connectionId or a userId");
    }
    targets.forEach(c -> c.close((short) code, reason));
    return Future.succeededFuture(AdminAnswer.closed(targets.size()));
  }

  private JsonObject stats() {
    GatewayMetrics m = metrics;
    return new JsonObject()
        .put("node", nodeId)
        .put("sockets", registry.sockets())
        .put("users", registry.userCount())
        .put("draining", draining.getAsBoolean())
        .put("socketsOpened", (long) m.opened.count())
        .put("messagesIn", (long) (m.textIn.count() + m.binaryIn.count()))
        .put("messagesOut", (long) (m.textOut.count() + m.binaryOut.count()));
  }

  /** A request for something this node does not have. */
  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }
}
