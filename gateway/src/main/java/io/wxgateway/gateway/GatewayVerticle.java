package io.wxgateway.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.gateway.admin.AdminEndpoint;
import io.wxgateway.gateway.cluster.UserCap;
import io.wxgateway.gateway.connection.SocketSupervisor;
import io.wxgateway.gateway.delivery.DeliveryEndpoint;
import io.wxgateway.gateway.handshake.Admission;
import io.wxgateway.gateway.handshake.HandshakeGuard;
import io.wxgateway.gateway.handshake.HandshakeRejection;
import io.wxgateway.gateway.handshake.UpgradeHeaders;
import io.wxgateway.gateway.inbound.InboundPublisher;
import io.wxgateway.gateway.metrics.GatewayMetrics;
import io.wxgateway.gateway.session.SessionFrames;
import io.wxgateway.gateway.session.SessionServices;
import io.wxgateway.gateway.session.SocketSession;
import io.wxgateway.gateway.tls.TlsReloader;
import io.wxgateway.gateway.tls.TlsSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the gateway: the HTTP server that upgrades WebSocket handshakes on the
 * configured path (every instance listens on the same port; Vert.x spreads connections over them),
 * the supervisor of this loop's sockets, and a consumer of the node's delivery address.
 *
 * <p>Every refusal is an HTTP status before the upgrade: 404 for another path, 426 for a plain
 * request, 405 for another method than GET, and what {@link HandshakeGuard} decides. A connection
 * that has not completed its upgrade within the handshake timeout is dropped.
 *
 * <p>The node builds the parts every instance shares once ({@link Shared}); each instance owns
 * only its event loop's producer hand-off, supervisor, server and bus consumers.
 */
final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  /** How long a stopping verticle waits for closed sockets to hand their close events to the producer. */
  static final long CLOSE_EVENTS_WAIT_MS = 10_000;

  /** What every instance of one node shares; each part is thread-safe. */
  record Shared(GatewayOptions options, KafkaOptions kafka, SessionServices sessions, HandshakeGuard guard,
      UserCap userCap, AdminEndpoint admin) {
  }

  private final Shared node;
  private final GatewayOptions options;
  private final GatewayMetrics metrics;
  private final Map<HttpConnection, Long> handshakeTimers = new HashMap<>();
  private InboundPublisher publisher;
  private SocketSupervisor supervisor;
  private HttpServer server;
  private MessageConsumer<Object> deliveries;
  private MessageConsumer<AdminRequest> admin;
  private TlsReloader tlsReloader;

  GatewayVerticle(Shared node) {
    this.node = node;
    this.options = node.options();
    this.metrics = node.sessions().metrics();
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx);
    String nodeId = options.getNodeId();
    publisher = new InboundPublisher(vertx, node.kafka(), nodeId, metrics);
    supervisor = new SocketSupervisor(vertx);
    supervisor.start();
    DeliveryEndpoint endpoint = new DeliveryEndpoint(node.sessions().registry());
    deliveries = vertx.eventBus().consumer(BusAddresses.deliveries(nodeId), endpoint::handle);
    admin = vertx.eventBus().consumer(BusAddresses.admin(nodeId), node.admin()::handle);
    server = vertx.createHttpServer(httpOptions()).connectionHandler(this::onConnection).requestHandler(this::onRequest)
        .invalidRequestHandler(req -> {
          metrics.rejected("malformed"); // garbage, oversized line or headers: 400, 414, 431
          HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(req);
        });
    Future<HttpServer> listening = server.listen();
    if (options.getTls().isEnabled()) {
      tlsReloader = new TlsReloader(vertx, server, options.getTls());
      listening = listening.onSuccess(s -> tlsReloader.start());
    }
    return Future.all(deliveries.completion(), admin.completion(), listening);
  }

  @Override
  public Future<?> stop() {
    supervisor.stop();
    if (tlsReloader != null) {
      tlsReloader.stop();
    }
    return Future.join(deliveries.unregister(), admin.unregister(), server.close())
        .eventually(this::closeEventsHandedOver).eventually(publisher::close);
  }

  /**
   * Closed sockets publish what they had read before their close events (each waits for Kafka's
   * answers); the producer must not close before they are handed over. Bounded: a dead Kafka must
   * not hold the shutdown, which then loses those close events.
   */
  private Future<Void> closeEventsHandedOver() {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_EVENTS_WAIT_MS);
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(1, 20, timer -> {
      if (node.sessions().registry().ending() == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(timer);
        done.complete();
      }
    });
    return done.future();
  }

  private HttpServerOptions httpOptions() {
    int max = options.getMaxMessageBytes();
    HttpServerOptions http = new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        // Frames up to twice the limit reach the assembler, which closes with 1009; larger single
        // frames are refused by the decoder itself, which can only drop the connection.
        .setMaxWebSocketFrameSize(max > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : 2 * max)
        .setMaxWebSocketMessageSize(max)
        // No setWebSocketSubProtocols: the guard selects the subprotocol and upgrade() answers it.
        .setRegisterWebSocketWriteHandlers(false)
        // WebSocket runs over HTTP/1.1; without the h2c sniffing the connection (and its handshake
        // clock) starts as soon as the client connects, not when a request is complete.
        .setHttp2ClearTextEnabled(false)
        // Every write to a socket happens on the socket's own event loop (LoopWrites and
        // Connection.close hop there), so Vert.x can skip the thread-safe write queue it keeps per
        // connection otherwise: about 4.8 KB of heap less per socket (bench connections: 14.8 -> 10.0
        // KB on bare Vert.x). DirectWrites does the same for the WebSocket's own connection.
        .setStrictThreadMode(true);
    TlsSetup.apply(http, options.getTls());
    return http;
  }

  /** Starts the handshake clock: slow or half-open upgrade requests must not hold a connection. */
  private void onConnection(HttpConnection conn) {
    long timer = vertx.setTimer(options.getHandshake().getTimeoutMs(), t -> {
      handshakeTimers.remove(conn);
      metrics.rejected("timeout");
      LOG.debug("{} did not complete a handshake in time: closing", conn.remoteAddress());
      conn.close();
    });
    handshakeTimers.put(conn, timer);
    conn.closeHandler(v -> cancelHandshakeTimer(conn));
  }

  private void cancelHandshakeTimer(HttpConnection conn) {
    Long timer = handshakeTimers.remove(conn);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private void onRequest(HttpServerRequest req) {
    HandshakeRejection refused = refusalBeforeTheGuard(req);
    if (refused != null) {
      reject(req, refused);
      return;
    }
    req.pause(); // the guard may wait for a token check; the upgrade resumes the request
    node.guard().admit(req).onComplete(ar -> {
      if (ar.succeeded()) {
        upgrade(req, ar.result());
      } else if (ar.cause() instanceof HandshakeRejection rejection) {
        reject(req, rejection);
      } else {
        LOG.warn("handshake check failed: {}", ar.cause().toString());
        reject(req, new HandshakeRejection(500, "internal", "Internal error."));
      }
    });
  }

  /** What no WebSocket client sends: refused without a token check or a rate-limit slot. */
  private HandshakeRejection refusalBeforeTheGuard(HttpServerRequest req) {
    if (!options.getPath().equals(req.path())) {
      return new HandshakeRejection(404, "not-found", "Not found. The WebSocket endpoint is " + options.getPath());
    } else if (!req.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
      req.response().putHeader(HttpHeaders.UPGRADE, "websocket");
      return new HandshakeRejection(426, "not-websocket", "Upgrade required: this is a WebSocket endpoint, "
          + "connect with a WebSocket client (wx.connectSocket in a mini program).");
    } else if (req.method() != HttpMethod.GET) {
      req.response().putHeader(HttpHeaders.ALLOW, "GET");
      return new HandshakeRejection(405, "method", "Method not allowed: a WebSocket handshake is a GET request.");
    }
    return UpgradeHeaders.check(req);
  }

  private void upgrade(HttpServerRequest req, Admission admission) {
    String connectionId = ConnectionId.generate(options.getNodeId()).value();
    HttpConnection conn = req.connection();
    if (admission.subprotocol() != null) {
      req.response().putHeader("Sec-WebSocket-Protocol", admission.subprotocol()); // in the 101
    }
    req.toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        admission.slot().release();
        // UpgradeHeaders let through what Vert.x refused (and answered, with the subprotocol header
        // set above for the 101, which a client ignores on any other status); the handshake clock keeps
        // running, so the kept-alive connection cannot start a slow request without a deadline.
        metrics.rejected("malformed");
        LOG.debug("upgrade from {} failed: {}", admission.clientAddress(), ar.cause().toString());
        return;
      }
      cancelHandshakeTimer(conn);
      conn.closeHandler(null); // its only job was the handshake clock: not kept on every idle socket
      ServerWebSocket ws = ar.result();
      InboundEvent event = new InboundEvent(connectionId, options.getNodeId(), admission.userId(), admission.appId(),
          admission.subprotocol());
      SocketSession session = new SocketSession(node.sessions(), ws, context, event, publisher, supervisor,
          admission.tokenExpiresAt(), node.guard().openEvents());
      try {
        session.start();
      } finally {
        admission.slot().release(); // registered: the registry counts it from now on
      }
      if (!SessionFrames.PROTOCOL.equals(admission.subprotocol())) {
        node.userCap().enforce(session); // a session socket: once welcomed (SessionManager)
      }
    });
  }

  private void reject(HttpServerRequest req, HandshakeRejection rejection) {
    metrics.rejected(rejection.reason());
    if (rejection.status() == 401) {
      req.response().putHeader("WWW-Authenticate", "Bearer");
    }
    req.response().setStatusCode(rejection.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(rejection.getMessage() + "\n");
    req.resume();
  }
}
