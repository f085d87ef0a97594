package io.wxgateway.gateway.session;

import io.netty.channel.WriteBufferWaterMark;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * Sets a socket's outbound bound ({@code gateway.socket.maxOutboundBytes}) as
 * {@code ws.setWriteQueueMaxSize} does (Netty's write-buffer water marks: half the bound, the bound),
 * but with one immutable marks object for every socket of the node: Vert.x makes one per socket,
 * 24 bytes on every idle socket. Thread-safe.
 */
final class OutboundBound {

  /** The marks last made; sockets of one node all ask for the same bound. */
  private static volatile WriteBufferWaterMark shared;

  private OutboundBound() {
  }

  static void apply(ServerWebSocket ws, int maxBytes) {
    if (!(ws instanceof WebSocketInternal internal)) {
      ws.setWriteQueueMaxSize(maxBytes);
      return;
    }
    WriteBufferWaterMark marks = shared;
    if (marks == null || marks.high() != maxBytes) {
      marks = new WriteBufferWaterMark(maxBytes / 2, maxBytes);
      shared = marks;
    }
    internal.channelHandlerContext().channel().config().setWriteBufferWaterMark(marks);
  }
}
