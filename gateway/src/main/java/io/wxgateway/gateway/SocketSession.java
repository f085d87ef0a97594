package io.wxgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.contract.DeliveryError;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted socket: relays its messages to Kafka in order (open event first, close event last),
 * through its {@link InboundFlow} (which owns backpressure), and writes deliveries to it.
 *
 * <p>Threading: every field is touched only on the socket's event loop ({@link #context}); other
 * threads reach the session through {@link #deliver(Delivery)}, which hops onto that loop.
 */
public final class SocketSession implements MessageAssembler.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(SocketSession.class);
  /** One line per socket opened and closed: ids, user, code, duration; never tokens or payloads. */
  private static final Logger SOCKETS = LoggerFactory.getLogger("io.wxgateway.sockets");

  private final GatewayNode node;
  private final ServerWebSocket ws;
  private final Context context;
  private final InboundEvent event;
  private final InboundFlow flow;
  private final MessageAssembler assembler;
  private final byte[] heartbeatRequest;
  private final SocketSupervisor supervisor;
  private final SessionLimits limits;
  private final SessionStats stats = new SessionStats();
  private JsonObject openInfo;
  private long seq;
  private Integer serverCloseCode;
  private String serverCloseReason;
  private boolean ended;

  SocketSession(GatewayNode node, ServerWebSocket ws, Context context, InboundEvent event, InboundPublisher publisher,
      SocketSupervisor supervisor, long tokenExpiresAt) {
    this.node = node;
    this.supervisor = supervisor;
    this.limits = new SessionLimits(node.options().getSocket(), tokenExpiresAt, stats.openedAt, System.nanoTime());
    this.ws = ws;
    this.context = context;
    this.event = event;
    this.flow = new InboundFlow(node, ws, context, publisher);
    this.assembler = new MessageAssembler(node.options().getMaxMessageBytes(), this);
    String heartbeat = node.options().getHeartbeatRequest();
    this.heartbeatRequest = heartbeat.isEmpty() ? null : heartbeat.getBytes(StandardCharsets.UTF_8);
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
    PingGuard.install(ws, node.options().getSocket().getMessagesPerSecond(),
        tooFast -> context.runOnContext(v -> onPingFlood(tooFast)));
    node.registry().add(this);
    SOCKETS.info("open {} user={} app={} remote={}", connectionId(), userId(), appId(),
        openEvent.getString("remoteAddress"));
    supervisor.add(this);
    node.metrics().opened.increment();
    publish(node.records().open(event, ++seq, openEvent.toBuffer().getBytes()));
    ws.frameHandler(frame -> {
      limits.heard(System.currentTimeMillis());
      if (frame.type() != WebSocketFrameType.PING || pingAllowed(frame.binaryData().length())) {
        assembler.onFrame(frame);
      }
    });
    ws.closeHandler(v -> onClosed());
    ws.exceptionHandler(this::onException);
  }

  @Override
  public void onMessage(boolean text, byte[] bytes) {
    if (serverCloseCode != null || ended) {
      return; // closing: what the client still sends is neither relayed nor counted again
    }
    stats.received(bytes.length);
    if (!limits.allows(bytes.length, System.nanoTime())) {
      node.metrics().rateLimited.increment();
      LOG.info("socket {} exceeded its message or byte rate: closing with 1008", connectionId());
      closeByServer(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
      return;
    }
    if (text && heartbeatRequest != null && Arrays.equals(bytes, heartbeatRequest)) {
      node.metrics().heartbeatIn.increment();
      answerHeartbeat();
      return;
    }
    (text ? node.metrics().textIn : node.metrics().binaryIn).increment();
    node.metrics().bytesIn.increment(bytes.length);
    publish(node.records().message(event, ++seq, text, bytes));
  }

  /**
   * Vert.x answers every ping with a pong before we see it, so pings count against the socket's
   * rates, and a socket whose pongs pile up unread is too slow. {@link PingGuard} drops the pings
   * past its own budget or while the socket's outbound queue is full, before Vert.x answers them;
   * this counts the pings that got through it.
   */
  private boolean pingAllowed(int size) {
    boolean tooFast = !limits.allows(size, System.nanoTime());
    if (!tooFast && !isWriteQueueFull()) {
      return true;
    }
    onPingFlood(tooFast);
    return false;
  }

  /** Too many pings, or pongs left unread: closes with 1008 and stops reading the socket. */
  private void onPingFlood(boolean tooFast) {
    if (ended) {
      return;
    }
    if (serverCloseCode == null) {
      node.metrics().rateLimited.increment();
      LOG.info("socket {} {}: closing with 1008", connectionId(), tooFast ? "floods pings" : "does not read its pongs");
      closeByServer(CloseCodes.POLICY_VIOLATION, tooFast ? "rate limit exceeded" : "client too slow");
    }
    ws.pause();
  }

  @Override
  public void onTooBig(long size) {
    node.metrics().tooBig.increment();
    LOG.info("socket {} sent a message of at least {} bytes, over the limit of {}: closing with 1009",
        connectionId(), size, node.options().getMaxMessageBytes());
    closeByServer(CloseCodes.MESSAGE_TOO_BIG, "message over " + node.options().getMaxMessageBytes() + " bytes");
  }

  @Override
  public void onInvalidUtf8() {
    node.metrics().invalidUtf8.increment();
    LOG.info("socket {} sent a text message that is not valid UTF-8: closing with 1007", connectionId());
    closeByServer(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
  }

  @Override
  public void onProtocolError(String detail) {
    node.metrics().protocolErrors.increment();
    LOG.info("socket {} broke the WebSocket protocol ({}): closing with 1002", connectionId(), detail);
    closeByServer((short) 1002, "protocol error");
  }

  /**
   * Netty refuses a frame over its own limit (twice the message limit) before we see it, and Vert.x
   * then drops the connection without a close frame: the close event still says why.
   */
  private void onException(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupted && serverCloseCode == null && !ended) {
      serverCloseCode = corrupted.closeStatus().code();
      serverCloseReason = corrupted.getMessage();
      if (serverCloseCode == CloseCodes.MESSAGE_TOO_BIG) {
        node.metrics().tooBig.increment();
      } else {
        node.metrics().protocolErrors.increment();
      }
      LOG.info("socket {} sent a frame the decoder refused ({}): connection dropped", connectionId(), e.getMessage());
    } else {
      LOG.debug("socket {} error: {}", connectionId(), e.toString());
    }
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

  /** Writes a delivery to this socket; on the socket's own event loop only. */
  DeliveryResult writeNow(Delivery delivery) {
    if (ended || serverCloseCode != null) {
      return DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND,
          "connection " + connectionId() + " is closing");
    }
    if (delivery.action() == Delivery.Action.CLOSE) {
      closeByServer((short) delivery.closeCode(), delivery.closeReason());
      return DeliveryResult.delivered(1);
    }
    if (isWriteQueueFull()) {
      LOG.info("socket {} reads too slowly ({} bytes queued): closing with 1008", connectionId(),
          node.options().getSocket().getMaxOutboundBytes());
      closeByServer(CloseCodes.POLICY_VIOLATION, "client too slow");
      return DeliveryResult.failed(DeliveryError.CLIENT_TOO_SLOW,
          "the socket's write queue was full; the socket was closed with 1008");
    }
    boolean text = delivery.action() == Delivery.Action.SEND_TEXT;
    Buffer payload = delivery.payload();
    // Delivered means queued on the socket, bounded by maxOutboundBytes (checked above). Waiting for
    // the flush would let one phone that stops reading stall the bridge until its timeout.
    if (text) {
      ws.writeTextMessage(payload.toString(StandardCharsets.UTF_8));
    } else {
      ws.writeBinaryMessage(payload);
    }
    stats.sent(payload.length());
    (text ? node.metrics().textOut : node.metrics().binaryOut).increment();
    node.metrics().bytesOut.increment(payload.length());
    node.metrics().delivered(delivery.createdAt());
    return DeliveryResult.delivered(1);
  }

  /** The supervisor's periodic look at this socket. */
  void tick(long nowMillis) {
    switch (limits.check(nowMillis)) {
      case PING -> ws.writePing(Buffer.buffer());
      case IDLE -> closeByServer(CloseCodes.IDLE_TIMEOUT, "idle timeout");
      case TOKEN_EXPIRED -> closeByServer(CloseCodes.TOKEN_EXPIRED, "token expired");
      case LIFETIME_ENDED -> closeByServer(CloseCodes.GOING_AWAY, "maximum lifetime reached, reconnect");
      default -> { }
    }
  }

  /** {@link #closeByServer} from any thread. */
  public void close(short code, String reason) {
    context.runOnContext(v -> closeByServer(code, reason));
  }

  private boolean isWriteQueueFull() {
    try {
      return ws.writeQueueFull();
    } catch (IllegalStateException closedMeanwhile) {
      return false; // the write below fails and reports the socket gone
    }
  }

  /** Closes with {@code code} and remembers that the server did, for the close event. Idempotent. */
  void closeByServer(short code, String reason) {
    if (serverCloseCode != null || ended) {
      return;
    }
    serverCloseCode = (int) code;
    serverCloseReason = reason;
    ws.close(code, reason);
  }

  private void answerHeartbeat() {
    node.metrics().heartbeatOut.increment();
    ws.writeTextMessage(node.options().getHeartbeatResponse());
  }

  private void publish(ProducerRecord<String, byte[]> record) {
    flow.publish(this, record).onFailure(e -> {
      if (!ended && serverCloseCode == null) {
        LOG.warn("socket {}: Kafka did not accept an inbound record ({}): closing with 1013",
            connectionId(), e.toString());
        closeByServer(CloseCodes.TRY_AGAIN_LATER, "message not accepted, try again later");
      }
    });
  }

  /** The node is back under half its in-flight bound; callable from any thread. */
  void nodeCapacityAvailable() {
    flow.nodeCapacityAvailable();
  }

  private void onClosed() {
    if (ended) {
      return;
    }
    ended = true;
    flow.stop();
    node.registry().remove(this);
    supervisor.remove(this);
    boolean byServer = serverCloseCode != null;
    int code = byServer ? serverCloseCode : clientCode();
    String reason = byServer ? serverCloseReason : ws.closeReason();
    node.metrics().closed(code, byServer);
    SOCKETS.info("close {} user={} code={} by={} durationMs={}", connectionId(), userId(), code,
        byServer ? "server" : "client", stats.durationMs());
    JsonObject json = stats.addTo(new JsonObject()
        .put("code", code)
        .put("reason", reason)
        .put("initiator", byServer ? "server" : "client"));
    publish(node.records().close(event, ++seq, json.toBuffer().getBytes()));
  }

  /**
   * The client's close code (1006 when none came), unsigned; one outside 1000-1015 and 3000-4999 is
   * reported as a protocol error (1002), so a client cannot mint new metric tags.
   */
  private int clientCode() {
    Short code = ws.closeStatusCode();
    if (code == null) {
      return CloseCodes.ABNORMAL;
    }
    int unsigned = Short.toUnsignedInt(code);
    boolean reportable = (unsigned >= 1000 && unsigned <= 1015) || (unsigned >= 3000 && unsigned <= 4999);
    return reportable ? unsigned : CloseCodes.PROTOCOL_ERROR;
  }
}
