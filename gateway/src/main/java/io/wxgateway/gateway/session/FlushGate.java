package io.wxgateway.gateway.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * Holds a socket's flushes while one task writes several frames to it, so that they leave in one
 * {@code writev} instead of one syscall each. Vert.x flushes every WebSocket write made outside of
 * that socket's own read (VertxConnection.write: {@code writeAndFlush} unless a read is in progress),
 * so a delivery batch with several records for one socket paid a syscall, a TCP segment and a
 * wake-up of the client per record.
 *
 * <p>It sits in the channel's pipeline just before Vert.x's handler and passes every write straight
 * on: frames are encoded and counted in Netty's outbound buffer at once, so the socket's writability
 * (and with it {@code writeQueueFull}, the outbound bound) moves as without the gate. Only the flush
 * waits for {@link #release}, and not even that once the channel is unwritable: then the frames go
 * to the kernel at once, as they did before. Used only on the socket's event loop.
 *
 * <p>A session's gate is its {@link PingGuard}, which extends this class: one handler in the pipeline
 * instead of two, as each handler costs a Netty handler context (64 bytes) on every idle socket.
 * Passes inbound events on untouched.
 */
class FlushGate extends ChannelDuplexHandler {

  static final String NAME = "wx-flush-gate";

  private ChannelHandlerContext ctx;
  private int holds;
  private boolean pending;

  FlushGate() {
  }

  /** Puts a gate alone into {@code ws}'s pipeline; null (flushes as Vert.x does) for a socket without one. */
  static FlushGate install(ServerWebSocket ws) {
    if (!(ws instanceof WebSocketInternal internal) || internal.channelHandlerContext() == null) {
      return null;
    }
    ChannelHandlerContext vertx = internal.channelHandlerContext();
    if (vertx.isRemoved() || vertx.pipeline().get(NAME) != null) {
      return null;
    }
    FlushGate gate = new FlushGate();
    vertx.pipeline().addBefore(vertx.name(), NAME, gate);
    return gate;
  }

  @Override
  public final void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public final void flush(ChannelHandlerContext ctx) {
    if (holds > 0 && ctx.channel().isWritable()) {
      pending = true;
    } else {
      pending = false;
      ctx.flush();
    }
  }

  /** Flushes wait until as many {@link #release}s; call both in the same task. */
  final void hold() {
    holds++;
  }

  /** The last release flushes what was held. */
  final void release() {
    if (holds > 0 && --holds == 0 && pending) {
      pending = false;
      ctx.flush();
    }
  }
}
