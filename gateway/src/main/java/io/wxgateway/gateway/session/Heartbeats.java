package io.wxgateway.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.gateway.metrics.GatewayMetrics;

/**
 * One socket's heartbeats: the WebSocket pings the client sends (answered by Vert.x, guarded by
 * {@link PingGuard}) and the text heartbeat ({@code gateway.heartbeatRequest}) the gateway answers
 * itself. Both answers obey the socket's outbound bound ({@code maxOutboundBytes}), as deliveries
 * do: a client that asks for them and never reads them is reported once, and closed with 1008,
 * instead of growing the gateway's buffer. Pings also count against the socket's rates. Used only
 * on the socket's event loop.
 */
final class Heartbeats implements PingGuard.Budget, PingGuard.Listener {

  /** Told, on the event loop, that the client asked for more than it may: {@code tooFast} past its rates, else unread answers. */
  interface Listener {
    void onHeartbeatFlood(boolean tooFast);
  }

  private final ServerWebSocket ws;
  private final SocketWriter writer;
  private final SessionLimits limits;
  private final GatewayMetrics metrics;
  private final byte[] request;
  private final String response;
  private Listener listener;
  private Context context;

  Heartbeats(ServerWebSocket ws, SocketWriter writer, SessionLimits limits, GatewayMetrics metrics,
      GatewayOptions options) {
    this.ws = ws;
    this.writer = writer;
    this.limits = limits;
    this.metrics = metrics;
    String heartbeat = options.getHeartbeatRequest();
    this.request = heartbeat.isEmpty() ? null : heartbeat.getBytes(StandardCharsets.UTF_8);
    this.response = options.getHeartbeatResponse();
  }

  /**
   * Puts the {@link PingGuard} in front of Vert.x's automatic pongs: pings count against the socket's
   * rates (the one place they are policed), and a socket whose pongs pile up unread is too slow.
   * The guard asks this object itself, not lambdas around it: two objects fewer on every idle socket.
   */
  void install(Context context, Listener listener) {
    this.listener = listener;
    this.context = context;
    PingGuard.install(ws, this, this);
  }

  @Override
  public boolean allows(int size) {
    return limits.allows(size, System.nanoTime());
  }

  @Override
  public void onPingFlood(boolean tooFast) {
    context.runOnContext(v -> listener.onHeartbeatFlood(tooFast));
  }

  boolean isRequest(boolean text, byte[] bytes) {
    return text && request != null && Arrays.equals(bytes, request);
  }

  /** Answers a text heartbeat, unless the outbound queue is full: then the listener closes the socket. */
  void answer() {
    metrics.heartbeatIn.increment();
    if (!writer.reply(response)) {
      listener.onHeartbeatFlood(false);
    }
  }
}
