package io.wxgateway.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.codec.InboundEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the gateway: the HTTP server that upgrades WebSocket handshakes on the
 * configured path (every instance listens on the same port; Vert.x spreads connections over them),
 * and a consumer of the node's delivery address.
 *
 * <p>Requests that are not a WebSocket upgrade get an HTTP answer a client can see: 404 for another
 * path, 426 for a plain request on the WebSocket path, 405 for an upgrade with another method than GET.
 */
final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayNode node;
  private InboundPublisher publisher;
  private HttpServer server;
  private MessageConsumer<Delivery> deliveries;

  GatewayVerticle(GatewayNode node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx);
    publisher = new InboundPublisher(vertx, node.kafka(), node.nodeId(), node.metrics());
    DeliveryEndpoint endpoint = new DeliveryEndpoint(node.registry());
    deliveries = vertx.eventBus().consumer(BusAddresses.deliveries(node.nodeId()), endpoint::handle);
    int max = node.options().getMaxMessageBytes();
    HttpServerOptions httpOptions = new HttpServerOptions()
        .setHost(node.options().getHost())
        .setPort(node.options().getPort())
        // Frames up to twice the limit reach the assembler, which closes with 1009; larger single
        // frames are refused by the decoder itself, which can only drop the connection.
        .setMaxWebSocketFrameSize(max > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : 2 * max)
        .setMaxWebSocketMessageSize(max)
        .setRegisterWebSocketWriteHandlers(false);
    server = vertx.createHttpServer(httpOptions).requestHandler(this::onRequest);
    return Future.all(deliveries.completion(), server.listen());
  }

  @Override
  public Future<?> stop() {
    return Future.join(deliveries.unregister(), server.close()).eventually(publisher::close);
  }

  private void onRequest(HttpServerRequest req) {
    if (!node.options().getPath().equals(req.path())) {
      plain(req, 404, "Not found. The WebSocket endpoint is " + node.options().getPath() + "\n");
      return;
    }
    boolean upgrade = req.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true);
    if (!upgrade) {
      req.response().putHeader(HttpHeaders.UPGRADE, "websocket");
      plain(req, 426, "Upgrade required: this is a WebSocket endpoint, connect with a WebSocket client "
          + "(wx.connectSocket in a mini program).\n");
      return;
    }
    if (req.method() != HttpMethod.GET) {
      req.response().putHeader(HttpHeaders.ALLOW, "GET");
      plain(req, 405, "Method not allowed: a WebSocket handshake is a GET request.\n");
      return;
    }
    accept(req);
  }

  private void accept(HttpServerRequest req) {
    String connectionId = ConnectionId.generate(node.nodeId()).value();
    WxReferer referer = WxReferer.parse(req.getHeader(HttpHeaders.REFERER));
    InboundEvent event = new InboundEvent(connectionId, node.nodeId(), null, referer == null ? null : referer.appId());
    String remote = String.valueOf(req.remoteAddress());
    req.toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        LOG.debug("handshake from {} failed: {}", remote, ar.cause().toString());
        return;
      }
      ServerWebSocket ws = ar.result();
      JsonObject open = openEvent(ws, remote, referer);
      new SocketSession(node, ws, context, event, publisher).start(open);
    });
  }

  private static JsonObject openEvent(ServerWebSocket ws, String remote, WxReferer referer) {
    return new JsonObject()
        .put("remoteAddress", remote)
        .put("subprotocol", ws.subProtocol())
        .put("appId", referer == null ? null : referer.appId())
        .put("appVersion", referer == null ? null : referer.version())
        .put("path", ws.path())
        .put("headers", new JsonObject());
  }

  private static void plain(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(body);
  }
}
