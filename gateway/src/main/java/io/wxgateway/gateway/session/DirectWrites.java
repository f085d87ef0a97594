package io.wxgateway.gateway.session;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives an upgraded WebSocket the direct write path that {@code HttpServerOptions.setStrictThreadMode}
 * gives its HTTP connection. Vert.x 5.0 (5.1 too) builds the WebSocket's own connection without it,
 * so every socket keeps a thread-safe outbound queue: a jctools MPSC queue and its first chunk of
 * 1,024 slots, 4.7 KB of heap on every idle socket (bench connections, class histogram). The gateway
 * needs none of it: every write to a socket happens on the socket's own event loop, where Vert.x's
 * direct queue writes straight into Netty's outbound buffer, and the socket's writability (its
 * {@code writeQueueFull}) is then the channel's, under the {@link OutboundBound} water marks: a slow
 * client's 1008 comes at {@code maxOutboundBytes} itself, where Vert.x's queue let up to 16 more
 * messages wait behind an unwritable channel first.
 *
 * <p>It reaches into Vert.x's internals ({@code VertxConnection}'s private outbound queue and its
 * {@code DirectOutboundMessageQueue}), looked up once. On a Vert.x that no longer has them, it logs
 * one warning and leaves every socket as Vert.x made it; {@code DirectWritesTest} fails on such a
 * version, so an upgrade cannot lose the saving unnoticed.
 *
 * <p>Threading: call on the socket's event loop, before anything is written to the socket.
 */
final class DirectWrites {

  private static final Logger LOG = LoggerFactory.getLogger(DirectWrites.class);
  private static final Field QUEUE;
  private static final Constructor<?> DIRECT;

  static {
    Field queue = null;
    Constructor<?> direct = null;
    try {
      queue = VertxConnection.class.getDeclaredField("outboundMessageQueue");
      queue.setAccessible(true);
      direct = Class.forName(VertxConnection.class.getName() + "$DirectOutboundMessageQueue")
          .getDeclaredConstructor(VertxConnection.class);
      direct.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("this Vert.x has no direct write queue where the gateway looks for one ({}): every socket keeps "
          + "Vert.x's thread-safe queue, about 4.7 KB more heap an idle socket", e.toString());
      queue = null;
      direct = null;
    }
    QUEUE = queue;
    DIRECT = direct;
  }

  private DirectWrites() {
  }

  /** Swaps {@code ws}'s thread-safe outbound queue for the direct one; false when it could not. */
  static boolean apply(ServerWebSocket ws) {
    if (QUEUE == null || !(ws instanceof WebSocketInternal internal)) {
      return false;
    }
    ChannelHandlerContext ctx = internal.channelHandlerContext();
    if (ctx == null || !(ctx.handler() instanceof VertxHandler<?> handler) || handler.getConnection() == null) {
      return false;
    }
    VertxConnection connection = handler.getConnection();
    try {
      QUEUE.set(connection, DIRECT.newInstance(connection));
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("socket keeps Vert.x's write queue: {}", e.toString());
      return false;
    }
  }
}
