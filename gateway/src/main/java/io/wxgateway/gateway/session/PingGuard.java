package io.wxgateway.gateway.session;

import io.netty.channel.ChannelHandlerContext;
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
 * {@code gateway.socket.maxOutboundBytes} sets) and within the socket's rates (its {@link Listener}:
 * a ping counts as a message, as Vert.x answers it anyway). The first ping past either is
 * released unanswered, as is every ping after it, and reported once so that the session closes the
 * socket with 1008: queued pongs stay under one socket's outbound bound.
 *
 * <p>It is the socket's {@link FlushGate} too: one handler (and one handler context) per socket.
 *
 * <p>Threading: Netty calls it only on the connection's event loop, the thread of the session's
 * Vert.x context, and nothing else touches its state.
 */
final class PingGuard extends FlushGate {

  /** The socket the guard serves; asked and told on the event loop. */
  interface Listener {
    /** Whether a ping of {@code size} bytes fits the socket's rates. */
    boolean allows(int size);

    /** Told once that a ping was dropped: {@code tooFast} past the rates, else unread pongs. */
    void onPingFlood(boolean tooFast);
  }

  static final String NAME = "wx-ping-guard";

  private final Listener listener;
  private boolean dropping;

  private PingGuard(Listener listener) {
    this.listener = listener;
  }

  /** Puts a guard just ahead of Vert.x's handler of {@code ws}; answers it as the socket's flush gate. */
  static FlushGate install(ServerWebSocket ws, Listener listener) {
    ChannelHandlerContext vertx = ((WebSocketInternal) ws).channelHandlerContext();
    PingGuard guard = new PingGuard(listener);
    vertx.pipeline().addBefore(vertx.name(), NAME, guard);
    return guard;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof PingWebSocketFrame ping)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!dropping) {
      boolean tooFast = !listener.allows(ping.content().readableBytes());
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
