package io.wxgateway.gateway.session;

import java.nio.charset.StandardCharsets;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.gateway.inbound.InboundFlow;
import io.wxgateway.gateway.metrics.GatewayMetrics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound half of one socket: reads its frames, enforces its rates and message limits, answers
 * its heartbeats and relays its messages to Kafka in order through its {@link InboundFlow}, the
 * open event first and the close event last. However the socket closes, what it had read is still
 * published (or, after a refusal, counted as dropped) before its close event, which goes out once
 * Kafka has answered for every earlier record of the socket. Used only on the socket's event loop.
 */
final class SocketReader implements MessageAssembler.Listener, PingGuard.Listener, Handler<WebSocketFrame> {

  private static final Logger LOG = LoggerFactory.getLogger(SocketReader.class);

  private final ServerWebSocket ws;
  private final Context context;
  private final InboundEvent event;
  /** The node's parts (records, meters, heartbeat, message limit): one reference, not one per part, per idle socket. */
  private final SessionServices node;
  private final InboundFlow flow;
  /** Made at the first frame: an idle socket never needs one. */
  private MessageAssembler assembler;
  /** Answers the text heartbeats. */
  private final SocketWriter writer;
  /** The socket's clocks and rates, and its counters (the {@link SessionStats} they extend). */
  private final SessionLimits limits;
  private final SessionEnd end;
  /** The session protocol's half of the socket, or null for a raw socket. */
  private SessionSocket session;
  private long seq;
  /** Frames handed over so far: tells when Vert.x holds back no more of them after the connection ended. */
  private int frames;

  SocketReader(ServerWebSocket ws, Context context, InboundEvent event, SessionServices node, InboundFlow flow,
      SocketWriter writer, SessionLimits limits, SessionEnd end) {
    this.ws = ws;
    this.context = context;
    this.event = event;
    this.node = node;
    this.flow = flow;
    this.writer = writer;
    this.limits = limits;
    this.end = end;
  }

  /** Makes the socket a session socket: its messages are session frames, their {@code msg} bodies relayed. */
  void speaks(SessionSocket session) {
    this.session = session;
  }

  /**
   * Puts the {@link PingGuard} in front of Vert.x's automatic pongs (pings count against the socket's
   * rates, the one place they are policed, and a socket whose pongs pile up unread is too slow),
   * publishes the open event, then starts reading. The guard asks the reader itself, and the reader
   * is the frame handler itself: no lambda around it kept per idle socket. Answers the guard, which
   * is also the socket's {@link FlushGate}.
   */
  FlushGate start(byte[] openEvent) {
    FlushGate gate = PingGuard.install(ws, this);
    publish(node.records().open(event, ++seq, openEvent), false);
    ws.frameHandler(this);
    ws.exceptionHandler(this::onException);
    return gate;
  }

  @Override
  public boolean allows(int size) {
    return limits.allows(size, System.nanoTime());
  }

  /** Reported after the guard's read, not from inside the Netty pipeline. */
  @Override
  public void onPingFlood(boolean tooFast) {
    context.runOnContext(v -> onHeartbeatFlood(tooFast));
  }

  /** A frame; pings come here only once the PingGuard let them through. */
  @Override
  public void handle(WebSocketFrame frame) {
    frames++;
    limits.heard(System.currentTimeMillis());
    if (assembler == null) {
      assembler = new MessageAssembler(node.options().getMaxMessageBytes(), this);
    }
    assembler.onFrame(frame);
  }

  /**
   * A whole message. While the gateway closes the socket for a reason that is not the client's
   * fault, what the client sent before it saw the close is still relayed; after a refusal it is
   * dropped and counted. Heartbeats are answered only while the socket is open, and never counted
   * as messages.
   */
  @Override
  public void onMessage(boolean text, byte[] bytes) {
    boolean heartbeat = session == null && node.heartbeats().isRequest(text, bytes);
    if (!heartbeat) {
      limits.received(bytes.length);
    }
    GatewayMetrics metrics = node.metrics();
    if (end.relays() && !limits.allows(bytes.length, System.nanoTime())) {
      metrics.rateLimited.increment();
      LOG.info("socket {} exceeded its message or byte rate: closing with 1008", event.connectionId());
      end.refuse(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
    }
    if (heartbeat) {
      if (end.writable() && !node.heartbeats().answer(writer)) {
        onHeartbeatFlood(false);
      }
    } else if (!end.relays()) {
      end.dropped();
    } else if (session == null) {
      relay(text, bytes, null);
    } else {
      SessionSocket.Msg msg = session.onFrame(bytes);
      if (msg != null) {
        relay(text, msg.body(), msg.id());
      }
    }
  }

  /**
   * An application message to Kafka; one with a client's id is confirmed to the client once Kafka took
   * it, and only confirmed when Kafka took it already (the client did not get that {@code got}).
   */
  private void relay(boolean text, byte[] message, String clientMessageId) {
    if (clientMessageId != null && session.alreadyTaken(clientMessageId)) {
      session.taken(clientMessageId); // sent again after its got was lost with the session's last socket
      return;
    }
    GatewayMetrics metrics = node.metrics();
    (text ? metrics.textIn : metrics.binaryIn).increment();
    metrics.bytesIn.increment(message.length);
    ProducerRecord<String, byte[]> record = node.records().message(event, ++seq, text, message);
    if (clientMessageId == null) {
      publish(record, true);
      return;
    }
    record.headers().add(CeHeaders.CLIENT_MESSAGE_ID, clientMessageId.getBytes(StandardCharsets.US_ASCII));
    publish(record, true).onSuccess(taken -> session.taken(clientMessageId));
  }

  /** Too many pings (a refusal, and reading stops), or heartbeat answers left unread: closes with 1008. */
  private void onHeartbeatFlood(boolean tooFast) {
    if (end.ended()) {
      return;
    }
    if (!end.closing()) {
      node.metrics().rateLimited.increment();
      LOG.info("socket {} {}: closing with 1008", event.connectionId(),
          tooFast ? "floods heartbeats" : "does not read the answers");
    }
    if (tooFast) {
      end.refuse(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
      ws.pause();
    } else {
      end.close(CloseCodes.POLICY_VIOLATION, "client too slow");
    }
  }

  @Override
  public void onTooBig(long size) {
    int maxMessageBytes = node.options().getMaxMessageBytes();
    node.metrics().tooBig.increment();
    LOG.info("socket {} sent a message of at least {} bytes, over the limit of {}: closing with 1009",
        event.connectionId(), size, maxMessageBytes);
    end.refuse(CloseCodes.MESSAGE_TOO_BIG, "message over " + maxMessageBytes + " bytes");
  }

  @Override
  public void onInvalidUtf8() {
    node.metrics().invalidUtf8.increment();
    LOG.info("socket {} sent a text message that is not valid UTF-8: closing with 1007", event.connectionId());
    end.refuse(CloseCodes.INVALID_PAYLOAD, "text message is not valid UTF-8");
  }

  @Override
  public void onProtocolError(String detail) {
    node.metrics().protocolErrors.increment();
    LOG.info("socket {} broke the WebSocket protocol ({}): closing with 1002", event.connectionId(), detail);
    end.refuse(CloseCodes.PROTOCOL_ERROR, "protocol error");
  }

  /**
   * Netty refuses a frame over its own limit (twice the message limit) before we see it, and Vert.x
   * then drops the connection without a close frame: the close event still says why.
   */
  private void onException(Throwable e) {
    if (e instanceof CorruptedWebSocketFrameException corrupted
        && end.record(corrupted.closeStatus().code(), corrupted.getMessage())) {
      end.refuse();
      if (corrupted.closeStatus().code() == CloseCodes.MESSAGE_TOO_BIG) {
        node.metrics().tooBig.increment();
      } else {
        node.metrics().protocolErrors.increment();
      }
      LOG.info("socket {} sent a frame the decoder refused ({}): connection dropped", event.connectionId(),
          e.getMessage());
    } else {
      LOG.debug("socket {} error: {}", event.connectionId(), e.toString());
    }
  }

  /**
   * A record that Kafka does not take closes the socket with 1013 (unless it is already closing); a
   * message is then counted as dropped, and the socket relays nothing more, so that what reaches
   * Kafka has no gap in the middle.
   */
  private Future<RecordMetadata> publish(ProducerRecord<String, byte[]> record, boolean message) {
    return flow.publish(record).onFailure(e -> {
      if (message) {
        end.dropped();
      }
      if (!end.closing()) {
        LOG.warn("socket {}: Kafka did not accept an inbound record ({}): closing with 1013",
            event.connectionId(), e.toString());
      }
      end.refuse(CloseCodes.TRY_AGAIN_LATER, "message not accepted, try again later");
    });
  }

  /**
   * The connection is gone: reads what Vert.x still held back of it, then, once Kafka has answered
   * for every record of the socket, publishes the close event, last, and runs {@code handedOver}.
   */
  void finish(int clientCode, String clientReason, Runnable handedOver) {
    flow.finish();
    afterHeldBackFrames(() -> flow.whenSettled().onComplete(settled -> {
      publish(node.records().close(event, ++seq, end.event(clientCode, clientReason, limits).toBuffer().getBytes()),
          false);
      handedOver.run();
    }));
  }

  /**
   * Runs {@code then} once Vert.x has handed over every frame it held back: after a turn of the
   * event loop in which no frame came (its queue drains in tasks of that same loop, and no frame
   * can arrive after the connection is gone).
   */
  private void afterHeldBackFrames(Runnable then) {
    int seen = frames; // compared for equality only: wrapping around is harmless
    context.runOnContext(v -> {
      if (frames == seen) {
        then.run();
      } else {
        afterHeldBackFrames(then);
      }
    });
  }
}
