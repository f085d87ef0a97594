package io.wxgateway.gateway.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.SocketSupervisor;
import io.wxgateway.gateway.inbound.InboundFlow;
import io.wxgateway.gateway.inbound.InboundPublisher;
import io.wxgateway.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted socket: its inbound half ({@link SocketReader}: frames, rates, heartbeats, messages
 * to Kafka in order, open event first and close event last), its outbound half
 * ({@link SocketWriter}: deliveries under the outbound bound), its clocks ({@link SessionLimits})
 * and how it ends ({@link SessionEnd}).
 *
 * <p>Threading: every field is touched only on the socket's event loop ({@link #context}); other
 * threads reach the session through {@link #close} and {@link #describe}, which hop onto that loop.
 */
public final class SocketSession implements Connection, Handler<Void> {

  private static final Logger LOG = LoggerFactory.getLogger(SocketSession.class);
  /** One line per socket opened and closed: ids, user, code, duration; never tokens or payloads. */
  private static final Logger SOCKETS = LoggerFactory.getLogger("io.wxgateway.sockets");

  /** The node's parts (registry, meters, settings): one reference rather than a field per part, per idle socket. */
  private final SessionServices node;
  private final ServerWebSocket ws;
  private final Context context;
  private final InboundEvent event;
  private final InboundFlow flow;
  private final SocketReader reader;
  private final SocketWriter writer;
  private final SocketSupervisor supervisor;
  /** The socket's clocks and rates and, as the {@link SessionStats} they extend, its counters. */
  private final SessionLimits limits;
  private final SessionEnd end;
  /** The session protocol's half, for a socket that negotiated {@code wx.session.v1}; else null. */
  private final SessionSocket session;
  /** Builds the open event; {@link #describe} builds it again rather than every idle socket keeping it. */
  private final OpenEvents openEvents;
  /** Batches a delivery batch's flushes to this socket ({@link #holdFlushes}): its ping guard, once started. */
  private FlushGate flushGate;

  /**
   * @param publisher the Kafka producer of the socket's event loop
   * @param supervisor the ticker of the socket's event loop
   * @param tokenExpiresAt epoch milliseconds at which the socket's token expires, or 0
   * @param openEvents the node's builder of open events
   */
  public SocketSession(SessionServices node, ServerWebSocket ws, Context context, InboundEvent event,
      InboundPublisher publisher, SocketSupervisor supervisor, long tokenExpiresAt, OpenEvents openEvents) {
    this.openEvents = openEvents;
    this.node = node;
    GatewayMetrics metrics = node.metrics();
    this.supervisor = supervisor;
    this.limits = new SessionLimits(node.options().getSocket(), tokenExpiresAt);
    this.ws = ws;
    this.context = context;
    this.event = event;
    this.end = new SessionEnd(ws);
    this.flow = new InboundFlow(ws, context, publisher, node.inFlight(), node.options().getMaxInFlightPerConnection(),
        metrics.pauses);
    this.writer = new SocketWriter(ws, limits, metrics);
    this.reader = new SocketReader(ws, context, event, node, flow, writer, limits, end);
    this.session = speaksSessions(node, event) ? new SessionSocket(node.keeper(), context, event, writer, end, publisher,
        node.options().getSession()) : null;
    if (session != null) {
      reader.speaks(session);
    }
  }

  private static boolean speaksSessions(SessionServices node, InboundEvent event) {
    return node.keeper() != null && node.options().getSession().isEnabled()
        && SessionFrames.PROTOCOL.equals(event.subprotocol());
  }

  @Override
  public String connectionId() {
    return event.connectionId();
  }

  @Override
  public String userId() {
    return event.userId();
  }

  @Override
  public String appId() {
    return event.appId();
  }

  @Override
  public long openedAt() {
    return limits.openedAt;
  }

  @Override
  public boolean awaitsWelcome() {
    return session != null && session.awaitsWelcome();
  }

  @Override
  public Future<JsonObject> describe() {
    return Future.future(p -> context.runOnContext(v -> {
      JsonObject opened = new JsonObject(Buffer.buffer(openEvents.encode(ws, event, openEvents.clientAddress(ws))));
      if (awaitsWelcome()) {
        opened.put("state", Connection.AWAITING_WELCOME);
      }
      p.complete(limits.addTo(opened.put("connectionId", connectionId()).put("node", event.nodeId())
          .put("openedAt", limits.openedAt)));
    }));
  }

  /** Registers the socket, publishes its open event, then starts reading. Call on {@link #context}. */
  public void start() {
    String clientAddress = openEvents.clientAddress(ws);
    DirectWrites.apply(ws); // first: before anything is written to the socket
    OutboundBound.apply(ws, node.options().getSocket().getMaxOutboundBytes());
    node.registry().add(this);
    SOCKETS.info("open {} user={} app={} remote={}", connectionId(), userId(), appId(), clientAddress);
    supervisor.add(this);
    node.metrics().opened.increment();
    flushGate = reader.start(openEvents.encode(ws, event, clientAddress));
    ws.closeHandler(this); // the session itself, not a lambda around it: one object fewer per idle socket
    if (session != null) {
      context.owner().setTimer(node.options().getSession().getHelloTimeoutMs(), t -> session.helloTimedOut());
    }
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public DeliveryResult write(Delivery delivery) {
    if (!end.writable()) {
      return whileClosing(delivery);
    }
    if (delivery.action() == Delivery.Action.CLOSE) {
      if (session != null) {
        session.endsFor("closed-by-backend");
      }
      end.close((short) delivery.closeCode(), delivery.closeReason());
      return DeliveryResult.delivered(1);
    }
    DeliveryResult result = session != null ? session.push(delivery) : writer.send(delivery);
    if (!result.isSuccess()) {
      LOG.info("socket {} reads too slowly ({} bytes queued): closing with 1008", connectionId(),
          node.options().getSocket().getMaxOutboundBytes());
      end.close(CloseCodes.POLICY_VIOLATION, "client too slow");
    }
    return result;
  }

  /**
   * A delivery while the socket closes, before its close handler runs: up to Vert.x's closing timeout
   * when the phone does not answer the close frame. One to a session that moved on (a resume took it
   * over) is answered with the new connection, one to a session that will suspend is held for it, as
   * the placeholder will hold it; anything else finds no socket.
   */
  private DeliveryResult whileClosing(Delivery delivery) {
    String movedTo = node.registry().moved().movedTo(connectionId());
    if (movedTo != null && delivery.targetKind() == Delivery.TargetKind.CONNECTION) {
      return DeliveryResult.moved(connectionId(), movedTo);
    }
    // the client's code only once its close frame came (Vert.x has none to give before)
    int code = end.byServer() ? end.code(0) : SessionEnd.clientCode(ws.closeStatusCode());
    DeliveryResult held = session == null ? null : session.whileClosing(delivery, code);
    return held != null ? held
        : DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "connection " + connectionId() + " is closing");
  }

  @Override
  public void holdFlushes() {
    if (flushGate != null) {
      flushGate.hold();
    }
  }

  @Override
  public void releaseFlushes() {
    if (flushGate != null) {
      flushGate.release();
    }
  }

  /** Time spent waiting for Kafka is not the client's silence. */
  @Override
  public void tick(long nowMillis) {
    if (flow.waiting()) {
      limits.heard(nowMillis);
    }
    if (session != null) {
      session.tick(nowMillis);
    }
    switch (limits.check(nowMillis)) {
      case PING -> ws.writePing(Buffer.buffer());
      case IDLE -> end.close(CloseCodes.IDLE_TIMEOUT, "idle timeout");
      case TOKEN_EXPIRED -> end.close(CloseCodes.TOKEN_EXPIRED, "token expired");
      case LIFETIME_ENDED -> end.close(CloseCodes.GOING_AWAY, "maximum lifetime reached, reconnect");
      default -> { }
    }
  }

  @Override
  public void close(short code, String reason) {
    context.runOnContext(v -> end.close(code, reason));
  }

  /**
   * The socket's close handler: the connection is gone. The socket leaves the registry at once
   * (deliveries to it are {@code connection-not-found}); its reader still publishes what it had read,
   * then the close event.
   */
  @Override
  public void handle(Void closed) {
    if (!end.end()) {
      return;
    }
    Connection placeholder = session == null ? null
        : session.closed(end.code(SessionEnd.clientCode(ws.closeStatusCode())),
            end.byServer() ? end.reason() : ws.closeReason(), end.byServer());
    if (placeholder != null) {
      node.registry().leaveFor(this, placeholder);
    } else {
      node.registry().leave(this);
    }
    supervisor.remove(this);
    int clientCode = SessionEnd.clientCode(ws.closeStatusCode());
    node.metrics().closed(end.code(clientCode), end.byServer());
    SOCKETS.info("close {} user={} code={} by={} durationMs={}", connectionId(), userId(), end.code(clientCode),
        end.byServer() ? "server" : "client", limits.durationMs());
    reader.finish(clientCode, ws.closeReason(), node.registry()::ended);
  }
}
