package io.wxgateway.gateway.session;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
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
      ws.writeTextMessage(payload.toString(StandardCharsets.UTF_8));
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
    if (text) {
      ws.writeTextMessage(header + '\n' + payload.toString(StandardCharsets.UTF_8));
    } else {
      byte[] head = header.getBytes(StandardCharsets.UTF_8);
      ws.writeBinaryMessage(Buffer.buffer(head.length + 1 + payload.length()).appendBytes(head).appendByte((byte) '\n')
          .appendBuffer(payload));
    }
    stats.sent(payload.length());
    (text ? metrics.textOut : metrics.binaryOut).increment();
    metrics.bytesOut.increment(payload.length());
    metrics.delivered(delivery.createdAt());
    return DeliveryResult.delivered(1);
  }

  /** Queues a session protocol frame that is not a heartbeat (a got); false (nothing queued) when the queue is full. */
  boolean control(String frame) {
    if (queueFull()) {
      return false;
    }
    ws.writeTextMessage(frame);
    return true;
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
