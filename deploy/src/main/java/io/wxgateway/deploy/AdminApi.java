package io.wxgateway.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.AdminAnswer;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.NodeFanOut;
import io.wxgateway.common.bus.Presence;

/**
 * The admin API under {@code /admin} on the management port, cluster-wide: requests fan out over
 * the event bus to every gateway node's admin endpoint and the answers are merged. Protected by a
 * bearer token; with no token configured every request is refused (403), so the API is never open
 * by accident. Runs on the management server's event loop and never blocks.
 *
 * <pre>
 * GET  /admin/connections?userId=&amp;appId=&amp;offset=0&amp;limit=100   list, oldest first, paged
 * GET  /admin/connections/{id}                                 one connection
 * POST /admin/connections/{id}/close   {"code":4003,"reason":"..."}
 * GET  /admin/users/{userId}                                   presence: online, nodes
 * POST /admin/users/{userId}/close     {"code":4003,"reason":"..."}   every socket of the user
 * GET  /admin/nodes                                            stats of every gateway node
 * </pre>
 */
final class AdminApi {

  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final byte[] token;
  private final NodeDirectory directory;
  private final Presence presence;

  AdminApi(Vertx vertx, String token) {
    this.vertx = vertx;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.directory = new NodeDirectory(vertx);
    this.presence = new Presence(vertx);
    BusCodecs.register(vertx); // the admin protocol's codecs, also on a node without a gateway or bridge
  }

  void handle(HttpServerRequest req) {
    if (token.length == 0) {
      error(req, 403, "the admin API is disabled: set admin.token (WXGW_ADMIN_TOKEN) to enable it");
      return;
    }
    if (!authorized(req.getHeader("Authorization"))) {
      req.response().putHeader("WWW-Authenticate", "Bearer");
      error(req, 401, "a valid admin bearer token is required");
      return;
    }
    req.body().compose(body -> route(req, body.length() == 0 ? new JsonObject() : body.toJsonObject()))
        .onSuccess(json -> req.response().putHeader("content-type", "application/json").end(json.encodePrettily()))
        .onFailure(e -> error(req, status(e), e.getMessage()));
  }

  private Future<JsonObject> route(HttpServerRequest req, JsonObject body) {
    String[] parts = req.path().substring("/admin/".length()).split("/");
    HttpMethod method = req.method();
    if (parts.length == 1 && parts[0].equals("connections") && method == HttpMethod.GET) {
      return list(req);
    }
    if (parts.length == 1 && parts[0].equals("nodes") && method == HttpMethod.GET) {
      return toEveryNode(AdminRequest.stats()).map(answers -> new JsonObject()
          .put("nodes", new JsonArray(answers.stream().map(AdminAnswer::stats).toList())));
    }
    if (parts.length >= 2 && parts[0].equals("connections")) {
      String id = parts[1];
      if (parts.length == 2 && method == HttpMethod.GET) {
        return toNodeOf(id, AdminRequest.get(id)).map(AdminAnswer::connection);
      }
      if (parts.length == 3 && parts[2].equals("close") && method == HttpMethod.POST) {
        return toNodeOf(id, AdminRequest.closeConnection(id, closeCode(body), closeReason(body)))
            .map(answer -> new JsonObject().put("closed", answer.count()));
      }
    }
    if (parts.length >= 2 && parts[0].equals("users")) {
      String user = parts[1];
      if (parts.length == 2 && method == HttpMethod.GET) {
        return presence.nodesOf(user).map(nodes -> new JsonObject().put("userId", user)
            .put("online", !nodes.isEmpty()).put("nodes", new JsonArray(new ArrayList<>(nodes))));
      }
      if (parts.length == 3 && parts[2].equals("close") && method == HttpMethod.POST) {
        return toEveryNode(AdminRequest.closeUser(user, closeCode(body), closeReason(body)))
            .map(answers -> new JsonObject().put("closed", answers.stream().mapToInt(AdminAnswer::count).sum()));
      }
    }
    return Future.failedFuture(new ReplyException(null, 404, "no such admin resource: " + method + " " + req.path()));
  }

  private Future<JsonObject> list(HttpServerRequest req) {
    int offset = intParam(req, "offset", 0);
    int limit = Math.min(intParam(req, "limit", 100), 1000);
    AdminRequest query = AdminRequest.list(req.getParam("userId"), req.getParam("appId"), offset + limit);
    return toEveryNode(query).map(answers -> {
      List<JsonObject> all = new ArrayList<>();
      int total = 0;
      for (AdminAnswer answer : answers) {
        total += answer.count();
        all.addAll(answer.connections());
      }
      all.sort(Comparator.comparingLong(c -> c.getLong("openedAt", 0L)));
      List<JsonObject> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
      return new JsonObject().put("total", total).put("offset", offset).put("limit", limit)
          .put("connections", new JsonArray(new ArrayList<>(page)));
    });
  }

  private Future<AdminAnswer> toNodeOf(String connectionId, AdminRequest request) {
    String node;
    try {
      node = ConnectionId.parse(connectionId).nodeId();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ReplyException(null, 400, e.getMessage()));
    }
    return ask(node, request);
  }

  private Future<AdminAnswer> ask(String node, AdminRequest request) {
    return vertx.eventBus().<AdminAnswer>request(BusAddresses.admin(node), request, TIMEOUT).map(m -> m.body());
  }

  /** The body's {@code code}, or the operator's default; a code that is no number is a bad request. */
  private static int closeCode(JsonObject body) {
    Object code = body.getValue("code");
    if (code == null) {
      return AdminRequest.DEFAULT_CLOSE_CODE;
    }
    if (code instanceof Number number) {
      return number.intValue();
    }
    throw new ReplyException(null, 400, "code must be a number");
  }

  /** The body's {@code reason}, or the operator's default; a reason that is no string is a bad request. */
  private static String closeReason(JsonObject body) {
    Object reason = body.getValue("reason");
    if (reason == null) {
      return AdminRequest.DEFAULT_CLOSE_REASON;
    }
    if (reason instanceof String text) {
      return text;
    }
    throw new ReplyException(null, 400, "reason must be a string");
  }

  /** Every gateway node's answer; a node that does not answer is left out rather than failing the whole request. */
  private Future<List<AdminAnswer>> toEveryNode(AdminRequest request) {
    return directory.nodes().compose(nodes -> NodeFanOut.ask(nodes, node -> ask(node, request))).compose(answers -> {
      List<AdminAnswer> ok = new ArrayList<>();
      for (AsyncResult<AdminAnswer> a : answers.values()) {
        if (a.succeeded()) {
          ok.add(a.result());
        } else if (a.cause() instanceof ReplyException re && re.failureCode() == 400) {
          return Future.failedFuture(a.cause());
        }
      }
      return Future.succeededFuture(ok);
    });
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private static int intParam(HttpServerRequest req, String name, int fallback) {
    try {
      return req.getParam(name) == null ? fallback : Math.max(0, Integer.parseInt(req.getParam(name)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static int status(Throwable e) {
    if (e instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 600) {
      return re.failureCode();
    }
    return e instanceof io.vertx.core.json.DecodeException ? 400 : 502;
  }

  private static void error(HttpServerRequest req, int status, String message) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", message).encodePrettily());
  }
}
