package io.wxgateway.gateway.handshake;

import java.net.InetSocketAddress;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The TCP peer's address as text, read off the Netty channel. Vert.x's own {@code remoteAddress()}
 * answers the same but keeps its answer (a SocketAddress and its strings) on the connection for as
 * long as it lives: about a hundred bytes on every idle socket, for an address read once at the
 * handshake. Where Vert.x has an address of its own to give (the PROXY protocol's override, a
 * connection that is not Vert.x's TCP one), its answer is taken.
 */
final class PeerAddress {

  private PeerAddress() {
  }

  static String of(HttpServerRequest req) {
    String peer = req.connection() instanceof ConnectionBase conn ? of(conn.channel()) : null;
    return peer != null ? peer : req.remoteAddress().hostAddress();
  }

  static String of(ServerWebSocket ws) {
    String peer = ws instanceof WebSocketInternal internal ? of(internal.channelHandlerContext().channel()) : null;
    return peer != null ? peer : ws.remoteAddress().hostAddress();
  }

  private static String of(Channel channel) {
    if (channel.hasAttr(ConnectionBase.REMOTE_ADDRESS_OVERRIDE)
        || !(channel.remoteAddress() instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      return null;
    }
    return inet.getAddress().getHostAddress();
  }
}
