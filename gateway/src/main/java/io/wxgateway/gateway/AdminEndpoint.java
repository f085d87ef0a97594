package io.wxgateway.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.AdminAnswer;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.contract.CloseCodes;

/**
 * This node's side of the admin API, on {@link BusAddresses#admin(String)}: list and describe its
 * sockets, close one or all of a user's, and report its stats. The management port fans requests
 * out to every node and merges the answers. Failures reply with 400 or 404 and a message.
 */
final class AdminEndpoint {

  static final int MAX_PAGE = 1000;

  private final GatewayNode node;

  AdminEndpoint(GatewayNode node) {
    this.node = node;
  }

  void handle(Message<AdminRequest> message) {
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
    List<SocketSession> matching = new ArrayList<>();
    for (SocketSession s : userId != null ? node.registry().byUser(userId) : node.registry().all()) {
      if (appId == null || appId.equals(s.appId())) {
        matching.add(s);
      }
    }
    matching.sort(Comparator.comparingLong(SocketSession::openedAt));
    int limit = Math.min(request.limit(), MAX_PAGE);
    List<Future<JsonObject>> described = matching.stream().limit(limit).map(SocketSession::describe).toList();
    return Future.all(described).map(all -> AdminAnswer.listing(matching.size(), all.list()));
  }

  private Future<AdminAnswer> get(String connectionId) {
    SocketSession session = connectionId == null ? null : node.registry().get(connectionId);
    return session == null ? Future.failedFuture(new NotFound("no open socket " + connectionId))
        : session.describe().map(AdminAnswer::connection);
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
    List<SocketSession> targets = new ArrayList<>();
    if (request.connectionId() != null) {
      SocketSession s = node.registry().get(request.connectionId());
      if (s != null) {
        targets.add(s);
      }
    } else if (request.userId() != null) {
      targets.addAll(node.registry().byUser(request.userId()));
    } else {
      return Future.failedFuture("close needs a connectionId or a userId");
    }
    targets.forEach(s -> s.close((short) code, reason));
    return Future.succeededFuture(AdminAnswer.closed(targets.size()));
  }

  private JsonObject stats() {
    GatewayMetrics m = node.metrics();
    return new JsonObject()
        .put("node", node.nodeId())
        .put("sockets", node.registry().size())
        .put("users", node.registry().userCount())
        .put("draining", node.isDraining())
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
