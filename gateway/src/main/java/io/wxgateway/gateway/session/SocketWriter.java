package io.wxgateway.gateway.session;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.gateway.metrics.GatewayMetrics;

/**
 * The outbound half of one socket: its writes, deliveries and heartbeat answers alike, under one
 * bound ({@code gateway.socket.maxOutboundBytes}): past it nothing more is queued, and the caller
 * closes the socket with 1008. Used only on the socket's event loop.
 */
final class SocketWriter {

  /**
   * Text pushes up to this size leave as one frame made from their bytes. Vert.x cuts a message into
   * frames of its server's {@code maxWebSocketFrameSize} (2 x {@code gateway.maxMessageBytes}, 128 KiB
   * by default), which this class cannot read; below this size no limit a deployment would set cuts.
   */
  static final int ONE_FRAME_BYTES = 8 * 1024;

  private final ServerWebSocket ws;
  private final SessionStats stats;
  private final GatewayMetrics metrics;

  SocketWriter(ServerWebSocket ws, SessionStats stats, GatewayMetrics metrics) {
    this.ws = ws;
    this.stats = stats;
    this.metrics = metrics;
  }

  /** The socket's outbound queue is at its bound: the client reads too slowly. */
  boolean queueFull() {
    try {
      return ws.writeQueueFull();
    } catch (IllegalStateException closedMeanwhile) {
      return false; // the write fails and reports the socket gone
    }
  }

  /**
   * Queues a delivery's message, or answers {@code client-too-slow} when the queue is full.
   * Delivered means queued on the socket, within the bound: waiting for the flush would let one
   * phone that stops reading stall the bridge until its timeout.
   */
  DeliveryResult send(Delivery delivery) {
    if (queueFull()) {
      return DeliveryResult.failed(DeliveryError.CLIENT_TOO_SLOW,
          "the socket's write queue was full; the socket was closed with 1008");
    }
    boolean text = delivery.action() == Delivery.Action.SEND_TEXT;
    Buffer payload = delivery.payload();
    if (text) {
      writeText(payload);
    } else {
      ws.writeBinaryMessage(payload);
    }
    stats.sent(payload.length());
    (text ? metrics.textOut : metrics.binaryOut).increment();
    metrics.bytesOut.increment(payload.length());
    metrics.delivered(delivery.createdAt());
    return DeliveryResult.delivered(1);
  }

  /**
   * Queues a session push: its header line, {@code \n}, then the delivery's payload, in one text or
   * binary frame as the delivery says; as {@link #send(Delivery)} otherwise.
   */
  DeliveryResult send(Delivery delivery, String header) {
    if (queueFull()) {
      return DeliveryResult.failed(DeliveryError.CLIENT_TOO_SLOW,
          "the socket's write queue was full; the socket was closed with 1008");
    }
    boolean text = delivery.action() == Delivery.Action.SEND_TEXT;
    Buffer payload = delivery.payload();
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    Buffer framed = Buffer.buffer(head.length + 1 + payload.length()).appendBytes(head).appendByte((byte) '\n')
        .appendBuffer(payload);
    if (text) {
      writeText(framed);
    } else {
      ws.writeBinaryMessage(framed);
    }
    stats.sent(payload.length());
    (text ? metrics.textOut : metrics.binaryOut).increment();
    metrics.bytesOut.increment(payload.length());
    metrics.delivered(delivery.createdAt());
    return DeliveryResult.delivered(1);
  }

  /**
   * Queues a session protocol frame that is not a heartbeat (welcome, recovered, got), so not counted
   * in {@code wx.messages.out}; false (nothing queued) when the queue is full.
   */
  boolean control(String frame) {
    if (queueFull()) {
      return false;
    }
    ws.writeTextMessage(frame);
    return true;
  }

  /**
   * A text message from bytes the bridge has checked as UTF-8 ({@code OutboundRecordDecoder}): as
   * {@code writeTextMessage} would send it, without decoding them to a String for Vert.x to encode
   * again (two copies and a String per push). The frame takes a slice of the buffer, so one payload
   * shared by several sockets is written whole to each. Larger pushes go the String way, which cuts
   * them into frames as Vert.x's limit says.
   */
  private void writeText(Buffer utf8) {
    if (utf8.length() <= ONE_FRAME_BYTES) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) utf8).getByteBuf(), true));
    } else {
      ws.writeTextMessage(utf8.toString(StandardCharsets.UTF_8));
    }
  }

  /** Queues the heartbeat's answer; false (nothing queued) when the queue is full. */
  boolean reply(String answer) {
    if (queueFull()) {
      return false;
    }
    metrics.heartbeatOut.increment();
    ws.writeTextMessage(answer);
    return true;
  }
}
