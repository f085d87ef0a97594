package io.wxgateway.gateway.session;

import java.util.List;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.options.SessionOptions;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.inbound.InboundPublisher;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session protocol half of one socket that negotiated {@code wx.session.v1}: its frames in
 * (hello, msg, ack, hb, bye), its states from hello to gone, the message ids it confirms
 * ({@link MessageConfirms}) and its pushes ({@link SessionPushes}: positions, acknowledgements, live
 * pushes held back until the welcome and a resume's replay are written). Session decisions are the
 * {@link SessionKeeper}'s.
 *
 * <p>Threading: every method runs on the socket's event loop ({@link #context}); the keeper's
 * answers come back through {@link #onLoop}.
 */
public final class SessionSocket {

  private static final Logger LOG = LoggerFactory.getLogger(SessionSocket.class);

  private enum State { AWAIT_HELLO, WELCOMING, REPLAYING, OPEN, GONE }

  /**
   * How long a closing connection can last: Vert.x's WebSocket closing timeout, which the gateway leaves
   * at its default. A push held while the socket closes is held until a window after that.
   */
  static final long CLOSING_TIMEOUT_MS = HttpServerOptions.DEFAULT_WEBSOCKET_CLOSING_TIMEOUT * 1_000L;

  private final SessionKeeper keeper;
  private final Context context;
  private final InboundEvent event;
  private final SocketWriter writer;
  private final SessionEnd end;
  private final InboundPublisher publisher;
  private final SessionPushes pushes;
  private State state = State.AWAIT_HELLO;
  /** Volatile: the user cap reads it from other threads ({@link #awaitsWelcome}). */
  private volatile String sessionId;
  /** Why the session ends rather than suspends when the socket goes, once known; null: it suspends. */
  private String endReason;
  private boolean takenOver;
  private final long heartbeatIntervalMs;
  private long lastHeartbeat = System.currentTimeMillis();
  private final long checkpointIntervalMs;
  private final long resumeWindowMs;
  private long lastCheckpoint;
  /** Made at the first message with an id: most sockets never send one. */
  private MessageConfirms confirms;

  SessionSocket(SessionKeeper keeper, Context context, InboundEvent event, SocketWriter writer, SessionEnd end,
      InboundPublisher publisher, SessionOptions options) {
    this.keeper = keeper;
    this.context = context;
    this.event = event;
    this.writer = writer;
    this.end = end;
    this.publisher = publisher;
    this.pushes = new SessionPushes(writer, end, event.connectionId(), options.getMaxUnackedPushes());
    this.heartbeatIntervalMs = options.getHeartbeatIntervalMs();
    this.checkpointIntervalMs = options.getCheckpointIntervalMs();
    this.resumeWindowMs = options.getResumeWindowMs();
  }

  public Context context() {
    return context;
  }

  public String connectionId() {
    return event.connectionId();
  }

  public String userId() {
    return event.userId();
  }

  public String appId() {
    return event.appId();
  }

  public String nodeId() {
    return event.nodeId();
  }

  /** The session's id once welcomed, else null. */
  public String sessionId() {
    return sessionId;
  }

  /** Not welcomed yet (and so not yet counted by its user's cap); any thread may ask. */
  public boolean awaitsWelcome() {
    return sessionId == null;
  }

  public PushLedger ledger() {
    return pushes.ledger();
  }

  /** Whether the socket's close was handled already: a session welcomed after it is the keeper's to suspend. */
  public boolean closed() {
    return state == State.GONE;
  }

  /** Whether the socket is gone (or going): the keeper then drops what it would answer. */
  public boolean gone() {
    return state == State.GONE || !end.writable();
  }

  /** Runs {@code task} on the socket's event loop. */
  public void onLoop(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  /** A record aside the socket's own (lifecycle events, receipts), through the loop's producer. */
  public void publish(ProducerRecord<String, byte[]> record) {
    publisher.send(record).onFailure(e -> LOG.warn("session {}: Kafka did not take a {} record: {}", sessionId,
        record.topic(), e.toString()));
  }

  /** A client's application message to relay: its body, and the id it wants confirmed (null: none). */
  record Msg(byte[] body, String id) {
  }

  /**
   * A whole client message: answers the {@code msg} to relay, or null when the frame was the
   * protocol's own (or broke it: then the socket is closing with 4400).
   */
  Msg onFrame(byte[] bytes) {
    SessionFrames.Frame frame;
    try {
      frame = SessionFrames.parse(bytes);
    } catch (SessionFrames.BadFrame bad) {
      protocolError(bad.getMessage());
      return null;
    }
    String type = frame.type();
    if (state == State.AWAIT_HELLO) {
      if (!"hello".equals(type)) {
        protocolError("the first frame must be hello");
      } else if (!Integer.valueOf(1).equals(frame.header().getValue("v"))) {
        protocolError("unsupported version");
      } else {
        state = State.WELCOMING;
        Object token = frame.header().getValue("resume");
        keeper.hello(this, token == null ? null : token instanceof String s ? s : ""); // "": malformed
      }
      return null;
    }
    switch (type) {
      case "msg" -> {
        Object id = frame.header().getValue("id");
        if (id != null && !MessageConfirms.isValidId(id)) {
          protocolError("msg id must be 1 to " + MessageConfirms.MAX_ID_LENGTH + " of A-Z a-z 0-9 . _ : -");
          return null;
        }
        byte[] body = new byte[bytes.length - frame.bodyOffset()];
        System.arraycopy(bytes, frame.bodyOffset(), body, 0, body.length);
        return new Msg(body, (String) id);
      }
      case "hb" -> writer.reply(SessionFrames.HEARTBEAT);
      case "ack" -> onAck(frame.header().getValue("p"));
      case "bye" -> {
        endReason = "bye";
        end.close(CloseCodes.NORMAL, "bye");
      }
      case "hello" -> protocolError("hello sent twice");
      default -> protocolError("unknown frame type");
    }
    return null;
  }

  /** Kafka took the message the client sent with {@code id}: it is confirmed with the next {@code got}. */
  void taken(String id) {
    confirms().add(id);
  }

  private MessageConfirms confirms() {
    if (confirms == null) {
      confirms = new MessageConfirms(context, writer::control); // not counted as heartbeats
    }
    return confirms;
  }

  /** Whether Kafka took a message with {@code id} from this session already: one sent again is only confirmed. */
  boolean alreadyTaken(String id) {
    return confirms != null && confirms.knows(id);
  }

  /** The ids of the client's last messages Kafka took, for the session's next socket (a resume). */
  public List<String> takenIds() {
    return confirms == null ? List.of() : confirms.recent();
  }

  /** A resume: the ids of the client's messages Kafka took from the session's previous socket. */
  public void seedTaken(List<String> ids) {
    if (!ids.isEmpty()) {
      confirms().seed(ids);
    }
  }

  private void onAck(Object positions) {
    if (!(positions instanceof JsonArray array)) {
      protocolError("ack without positions");
      return;
    }
    List<PushLedger.Acked> acked = pushes.ledger().ack(array.getList());
    if (!acked.isEmpty() && sessionId != null) {
      keeper.acked(this, acked);
      if (checkpointIntervalMs == 0) {
        checkpoint(System.currentTimeMillis());
      }
    }
  }

  private void protocolError(String reason) {
    LOG.info("socket {} broke the session protocol ({}): closing with 4400", connectionId(), reason);
    end.refuse(SessionFrames.PROTOCOL_ERROR, reason);
  }

  /** The keeper cannot serve the socket: it closes with {@code code}, relaying nothing more. */
  public void refuse(short code, String reason) {
    end.refuse(code, reason);
  }

  /** The hello timeout passed: no hello came. */
  void helloTimedOut() {
    if (state == State.AWAIT_HELLO && end.writable()) {
      protocolError("no hello in time");
    }
  }

  /** The keeper's welcome: writes it; a resume then replays ({@link #replay}) before live pushes flow. */
  public void welcome(String sessionId, String welcomeFrame, boolean replaying) {
    this.sessionId = sessionId; // also when gone: the close (now or coming) suspends the session
    if (gone()) {
      return;
    }
    writer.control(welcomeFrame);
    if (replaying) {
      state = State.REPLAYING;
      pushes.replaying();
    } else {
      open();
    }
  }

  /**
   * The gap a resume could fill, in order, then the {@code recovered} frame, then the live pushes
   * held meanwhile (but those the replay wrote). Answers how many pushes it wrote.
   */
  public int replay(List<Delivery> missed, boolean recovered, String reason) {
    if (gone() || state != State.REPLAYING) {
      return 0;
    }
    int written = pushes.replay(missed);
    JsonObject frame = new JsonObject().put("t", "recovered")
        .put("recovered", recovered);
    if (reason != null) {
      frame.put("reason", reason);
    }
    writer.control(frame.put("replayed", written).encode());
    open();
    return written;
  }

  private void open() {
    state = State.OPEN;
    pushes.open(this::gone);
  }

  /** A live push to the socket: held back until the welcome and any replay are written. */
  DeliveryResult push(Delivery delivery) {
    return pushes.push(delivery);
  }

  /**
   * A delivery while the socket closes with {@code code}, before the close is handled: held for the
   * session when the close will suspend it (as its placeholder will answer from then on), until a
   * window after the connection can last be gone; a backend's close makes the session end instead.
   * Null when the session ends or was taken over: the socket is then as good as gone.
   */
  DeliveryResult whileClosing(Delivery delivery, int code) {
    if (sessionId == null || takenOver || endReason != null || SessionCloses.endingReason(code) != null) {
      return null;
    }
    if (delivery.action() == Delivery.Action.CLOSE) {
      endsFor("closed-by-backend");
      return DeliveryResult.delivered(1);
    }
    if (delivery.targetKind() == Delivery.TargetKind.ALL) {
      return DeliveryResult.delivered(0); // broadcasts are never replayed
    }
    return DeliveryResult.held(sessionId, System.currentTimeMillis() + resumeWindowMs + CLOSING_TIMEOUT_MS);
  }

  /** The session ends (not suspends) when this socket goes, for {@code reason}. */
  void endsFor(String reason) {
    if (endReason == null) {
      endReason = reason;
    }
  }

  /** Another socket resumed the session: this one goes without suspending it. */
  public void takeOver() {
    takenOver = true;
    end.close(SessionFrames.RESUMED_ELSEWHERE, "session resumed elsewhere");
  }

  /** The supervisor's tick: the gateway's heartbeat when due, a checkpoint when acknowledgements came. */
  void tick(long nowMillis) {
    if (heartbeatIntervalMs > 0 && state != State.AWAIT_HELLO && nowMillis - lastHeartbeat >= heartbeatIntervalMs
        && end.writable()) {
      lastHeartbeat = nowMillis;
      writer.reply(SessionFrames.HEARTBEAT);
    }
    if (checkpointIntervalMs > 0 && nowMillis - lastCheckpoint >= checkpointIntervalMs) {
      checkpoint(nowMillis);
    }
  }

  private void checkpoint(long nowMillis) {
    if (state == State.OPEN && sessionId != null && pushes.ledger().takeChanged()) {
      lastCheckpoint = nowMillis;
      keeper.checkpoint(this);
    }
  }

  /**
   * The socket closed with {@code code}: the session suspends or ends, unless it was taken over.
   * Answers the placeholder that stands in for the socket in the registry, or null.
   */
  Connection closed(int code, String reason, boolean byServer) {
    State was = state;
    state = State.GONE;
    if (sessionId == null || takenOver || was == State.AWAIT_HELLO) {
      return null;
    }
    String why = endReason != null ? endReason : SessionCloses.endingReason(code);
    if (why != null) {
      return keeper.lost(this, true, why);
    }
    return keeper.lost(this, false, SessionCloses.suspendReason(code, reason, byServer));
  }
}
