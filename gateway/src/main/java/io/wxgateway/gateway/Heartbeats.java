package io.wxgateway.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

/**
 * One socket's heartbeats: the WebSocket pings the client sends (answered by Vert.x, guarded by
 * {@link PingGuard}) and the text heartbeat ({@code gateway.heartbeatRequest}) the gateway answers
 * itself. Both answers obey the socket's outbound bound ({@code maxOutboundBytes}), as deliveries
 * do: a client that asks for them and never reads them is reported once, and closed with 1008,
 * instead of growing the gateway's buffer. Pings also count against the socket's rates. Used only
 * on the socket's event loop.
 */
final class Heartbeats {

  /** Told, on the event loop, that the client asked for more than it may: {@code tooFast} past its rates, else unread answers. */
  interface Listener {
    void onHeartbeatFlood(boolean tooFast);
  }

  private final GatewayNode node;
  private final ServerWebSocket ws;
  private final SocketWriter writer;
  private final SessionLimits limits;
  private final Listener listener;
  private final byte[] request;

  Heartbeats(GatewayNode node, ServerWebSocket ws, SocketWriter writer, SessionLimits limits, Listener listener) {
    this.node = node;
    this.ws = ws;
    this.writer = writer;
    this.limits = limits;
    this.listener = listener;
    String heartbeat = node.options().getHeartbeatRequest();
    this.request = heartbeat.isEmpty() ? null : heartbeat.getBytes(StandardCharsets.UTF_8);
  }

  /** Puts the {@link PingGuard} in front of Vert.x's automatic pongs. */
  void install(Context context) {
    PingGuard.install(ws, node.options().getSocket().getMessagesPerSecond(),
        tooFast -> context.runOnContext(v -> listener.onHeartbeatFlood(tooFast)));
  }

  /**
   * Vert.x answers every ping with a pong before we see it, so pings count against the socket's
   * rates, and a socket whose pongs pile up unread is too slow. {@link PingGuard} drops the pings
   * past its own budget or while the socket's outbound queue is full, before Vert.x answers them;
   * this counts the pings that got through it.
   */
  boolean pingAllowed(int size) {
    boolean tooFast = !limits.allows(size, System.nanoTime());
    if (!tooFast && !writer.queueFull()) {
      return true;
    }
    listener.onHeartbeatFlood(tooFast);
    return false;
  }

  boolean isRequest(boolean text, byte[] bytes) {
    return text && request != null && Arrays.equals(bytes, request);
  }

  /** Answers a text heartbeat, unless the outbound queue is full: then the listener closes the socket. */
  void answer() {
    node.metrics().heartbeatIn.increment();
    if (!writer.reply(node.options().getHeartbeatResponse())) {
      listener.onHeartbeatFlood(false);
    }
  }
}
