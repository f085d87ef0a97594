package io.wxgateway.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.contract.DeliveryError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted socket: its inbound half ({@link SocketReader}: frames, rates, heartbeats, messages
 * to Kafka in order, open event first and close event last), its outbound half
 * ({@link SocketWriter}: deliveries under the outbound bound), its clocks ({@link SessionLimits})
 * and how it ends ({@link SessionEnd}).
 *
 * <p>Threading: every field is touched only on the socket's event loop ({@link #context}); other
 * threads reach the session through {@link #deliver(Delivery)} and {@link #close}, which hop onto that loop.
 */
public final class SocketSession {

  private static final Logger LOG = LoggerFactory.getLogger(SocketSession.class);
  /** One line per socket opened and closed: ids, user, code, duration; never tokens or payloads. */
  private static final Logger SOCKETS = LoggerFactory.getLogger("io.wxgateway.sockets");

  private final GatewayNode node;
  private final ServerWebSocket ws;
  private final Context context;
  private final InboundEvent event;
  private final InboundFlow flow;
  private final SocketReader reader;
  private final SocketWriter writer;
  private final SocketSupervisor supervisor;
  private final SessionLimits limits;
  private final SessionStats stats = new SessionStats();
  private final SessionEnd end;
  private JsonObject openInfo;

  SocketSession(GatewayNode node, ServerWebSocket ws, Context context, InboundEvent event, InboundPublisher publisher,
      SocketSupervisor supervisor, long tokenExpiresAt) {
    this.node = node;
    this.supervisor = supervisor;
    this.limits = new SessionLimits(node.options().getSocket(), tokenExpiresAt, stats.openedAt, System.nanoTime());
    this.ws = ws;
    this.context = context;
    this.event = event;
    this.end = new SessionEnd(ws);
    this.flow = new InboundFlow(node, this, ws, context, publisher);
    this.writer = new SocketWriter(node, ws, stats);
    this.reader = new SocketReader(node, ws, context, event, flow, writer, limits, stats, end);
  }

  public String connectionId() {
    return event.connectionId();
  }

  public String userId() {
    return event.userId();
  }

  public String appId() {
    return event.appId();
  }

  /** Epoch milliseconds. */
  public long openedAt() {
    return stats.openedAt;
  }

  /** What the admin API shows of this socket; answered on the socket's event loop. */
  public Future<JsonObject> describe() {
    return Future.future(p -> context.runOnContext(v -> p.complete(stats.addTo(openInfo.copy()
        .put("connectionId", connectionId()).put("node", event.nodeId()).put("openedAt", stats.openedAt)))));
  }

  /** Registers the socket, publishes its open event, then starts reading. Call on {@link #context}. */
  void start(JsonObject openEvent) {
    openInfo = openEvent;
    ws.setWriteQueueMaxSize(node.options().getSocket().getMaxOutboundBytes());
    node.registry().add(this);
    SOCKETS.info("open {} user={} app={} remote={}", connectionId(), userId(), appId(),
        openEvent.getString("remoteAddress"));
    supervisor.add(this);
    node.metrics().opened.increment();
    reader.start(openEvent.toBuffer().getBytes());
    ws.closeHandler(v -> onClosed());
  }

  /** Writes a delivery to this socket; callable from any thread, answers on the socket's loop. */
  public Future<DeliveryResult> deliver(Delivery delivery) {
    if (Context.isOnEventLoopThread() && context == io.vertx.core.Vertx.currentContext()) {
      return Future.succeededFuture(writeNow(delivery));
    }
    return Future.future(p -> context.runOnContext(v -> p.complete(writeNow(delivery))));
  }

  /** The event loop that owns this socket: the only thread that may call {@link #writeNow}. */
  Context context() {
    return context;
  }

  /**
   * Writes a delivery to this socket; on the socket's own event loop only. Once either side has
   * sent its close frame nothing more can reach the client: {@code connection-not-found}.
   */
  DeliveryResult writeNow(Delivery delivery) {
    if (!end.writable()) {
      return DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND,
          "connection " + connectionId() + " is closing");
    }
    if (delivery.action() == Delivery.Action.CLOSE) {
      end.close((short) delivery.closeCode(), delivery.closeReason());
      return DeliveryResult.delivered(1);
    }
    DeliveryResult result = writer.send(delivery);
    if (!result.isSuccess()) {
      LOG.info("socket {} reads too slowly ({} bytes queued): closing with 1008", connectionId(),
          node.options().getSocket().getMaxOutboundBytes());
      end.close(CloseCodes.POLICY_VIOLATION, "client too slow");
    }
    return result;
  }

  /** The supervisor's periodic look at this socket. Time spent waiting for Kafka is not the client's silence. */
  void tick(long nowMillis) {
    if (flow.waiting()) {
      limits.heard(nowMillis);
    }
    switch (limits.check(nowMillis)) {
      case PING -> ws.writePing(Buffer.buffer());
      case IDLE -> end.close(CloseCodes.IDLE_TIMEOUT, "idle timeout");
      case TOKEN_EXPIRED -> end.close(CloseCodes.TOKEN_EXPIRED, "token expired");
      case LIFETIME_ENDED -> end.close(CloseCodes.GOING_AWAY, "maximum lifetime reached, reconnect");
      default -> { }
    }
  }

  /** {@link #closeByServer} from any thread. */
  public void close(short code, String reason) {
    context.runOnContext(v -> closeByServer(code, reason));
  }

  /** Closes with {@code code}; what the client had sent is still relayed. Idempotent: the first reason stands. */
  void closeByServer(short code, String reason) {
    end.close(code, reason);
  }

  /** The node is back under half its in-flight bound; callable from any thread. */
  void nodeCapacityAvailable() {
    flow.nodeCapacityAvailable();
  }

  /**
   * The connection is gone: the socket leaves the registry at once (deliveries to it are
   * {@code connection-not-found}); its reader still publishes what it had read, then the close event.
   */
  private void onClosed() {
    if (!end.end()) {
      return;
    }
    node.registry().leave(this);
    supervisor.remove(this);
    int clientCode = SessionEnd.clientCode(ws.closeStatusCode());
    node.metrics().closed(end.code(clientCode), end.byServer());
    SOCKETS.info("close {} user={} code={} by={} durationMs={}", connectionId(), userId(), end.code(clientCode),
        end.byServer() ? "server" : "client", stats.durationMs());
    reader.finish(clientCode, ws.closeReason(), node.registry()::ended);
  }
}
