package io.wxgateway.gateway.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * Drops a client's pings before Vert.x answers them. Vert.x 5 writes a pong for every ping it
 * decodes ({@code WebSocketImplBase.handleFrame}), before the session's frame handler sees the ping
 * and even while the socket is paused, into outbound queues without a bound: a client that pings at
 * full speed and never reads would pile up tens of MB of pongs in the heap before its 1008 close
 * completes. Sitting between Netty's WebSocket decoder and Vert.x's handler, this lets a ping
 * through only while the channel is writable (under the high-water mark that
 * {@code gateway.socket.maxOutboundBytes} sets) and within the socket's rates (its {@link Budget}:
 * a ping counts as a message, as Vert.x answers it anyway). The first ping past either is
 * released unanswered, as is every ping after it, and reported once so that the session closes the
 * socket with 1008: queued pongs stay under one socket's outbound bound.
 *
 * <p>Threading: Netty calls it only on the connection's event loop, the thread of the session's
 * Vert.x context, and nothing else touches its state.
 */
final class PingGuard extends ChannelInboundHandlerAdapter {

  /** Told once, on the event loop, that a ping was dropped: {@code tooFast} past the budget, else unread pongs. */
  interface Listener {
    void onPingFlood(boolean tooFast);
  }

  /** The socket's rates; asked on the event loop whether a ping of {@code size} bytes fits them. */
  interface Budget {
    boolean allows(int size);
  }

  static final String NAME = "wx-ping-guard";

  private final Budget budget;
  private final Listener listener;
  private boolean dropping;

  private PingGuard(Budget budget, Listener listener) {
    this.budget = budget;
    this.listener = listener;
  }

  /** Puts a guard just ahead of Vert.x's handler of {@code ws}. */
  static void install(ServerWebSocket ws, Budget budget, Listener listener) {
    ChannelHandlerContext vertx = ((WebSocketInternal) ws).channelHandlerContext();
    vertx.pipeline().addBefore(vertx.name(), NAME, new PingGuard(budget, listener));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PingWebSocketFrame ping)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!dropping) {
      boolean tooFast = !budget.allows(ping.content().readableBytes());
      if (!tooFast && ctx.channel().isWritable()) {
        ctx.fireChannelRead(ping);
        return;
      }
      dropping = true;
      listener.onPingFlood(tooFast);
    }
    ping.release();
  }
}
