package io.wxgateway.gateway.session;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.gateway.metrics.GatewayMetrics;

/**
 * The text heartbeat ({@code gateway.heartbeatRequest}) the gateway answers itself, for every socket
 * of the node: one per node, since nothing of it is a socket's own. Its answers obey the socket's
 * outbound bound ({@code maxOutboundBytes}), as deliveries do: a client that asks for them and never
 * reads them is closed with 1008 by its reader, instead of growing the gateway's buffer. (WebSocket
 * pings are Vert.x's to answer, guarded by {@link PingGuard}.) Immutable and thread-safe.
 */
final class Heartbeats {

  private final GatewayMetrics metrics;
  private final byte[] request;
  private final String response;

  Heartbeats(GatewayMetrics metrics, GatewayOptions options) {
    this.metrics = metrics;
    String heartbeat = options.getHeartbeatRequest();
    this.request = heartbeat.isEmpty() ? null : heartbeat.getBytes(StandardCharsets.UTF_8);
    this.response = options.getHeartbeatResponse();
  }

  boolean isRequest(boolean text, byte[] bytes) {
    return text && request != null && Arrays.equals(bytes, request);
  }

  /** Answers a text heartbeat on {@code writer}'s socket; false (nothing queued) when its queue is full. */
  boolean answer(SocketWriter writer) {
    metrics.heartbeatIn.increment();
    return writer.reply(response);
  }
}
