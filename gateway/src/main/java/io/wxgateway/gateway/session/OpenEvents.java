package io.wxgateway.gateway.session;

import io.vertx.core.http.ServerWebSocket;
import io.wxgateway.common.codec.InboundEvent;

/**
 * Builds the value of a socket's {@code wx.socket.open} event from the socket itself (its handshake's
 * headers and peer, which Vert.x keeps anyway), once at the start and again whenever the admin API
 * asks: keeping the encoded event instead would cost every idle socket a byte array of its own.
 * Thread-safe; the same socket always gives the same bytes.
 */
public interface OpenEvents {

  /** The client's address (behind trusted proxies: from {@code X-Forwarded-For}), as the event names it. */
  String clientAddress(ServerWebSocket ws);

  /** The open event's JSON, with {@code clientAddress} as {@link #clientAddress} answered for {@code ws}. */
  byte[] encode(ServerWebSocket ws, InboundEvent event, String clientAddress);
}
