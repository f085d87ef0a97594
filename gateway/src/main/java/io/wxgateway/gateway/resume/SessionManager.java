package io.wxgateway.gateway.resume;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.session.PushLedger;
import io.wxgateway.gateway.session.SessionKeeper;
import io.wxgateway.gateway.session.SessionSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's sessions (docs/sessions.md): opens them, resumes them (refusals, compare-and-set
 * claims, takeover of a socket still open elsewhere, replay from the bridges), checkpoints their
 * acknowledged positions, suspends them behind a {@link Placeholder} and ends or expires them,
 * publishing their lifecycle events and receipts. Every {@link SessionKeeper} method runs on the
 * socket's loop; the bus handlers hop there before they touch a socket.
 */
public final class SessionManager implements SessionKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);
  /** How long a record that ended or expired is kept beyond the window, so a late resume says why. */
  static final long MARGIN_MS = 60_000;
  /** How long a takeover waits for the old node before it trusts the stored checkpoint. */
  static final long TAKEOVER_TIMEOUT_MS = 1_000;
  /** Reads and compare-and-sets a resume tries before it gives up (each loss is another node's transition). */
  static final int CLAIM_ATTEMPTS = 3;

  private final Vertx vertx;
  private final String nodeId;
  private final ConnectionRegistry registry;
  private final SessionStore store;
  private final SessionEvents events;
  private final SessionMeters meters;
  private final long windowMs;
  private final long replayTimeoutMs;
  private final long activeTtlMs;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Map<String, Live> suspended = new ConcurrentHashMap<>();
  private final Map<String, ReplayGather> replays = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public SessionManager(Vertx vertx, GatewayOptions options, KafkaOptions kafka, ConnectionRegistry registry,
      SessionMeters meters) {
    this.vertx = vertx;
    this.nodeId = options.getNodeId();
    this.registry = registry;
    this.store = new SessionStore(vertx);
    this.events = new SessionEvents(kafka.getInboundTopic(), kafka.getReceiptsTopic(), nodeId);
    this.meters = meters;
    this.windowMs = options.getSession().getResumeWindowMs();
    this.replayTimeoutMs = options.getSession().getReplayTimeoutMs();
    long lifetime = options.getSocket().getMaxLifetimeMs();
    this.activeTtlMs = (lifetime > 0 ? lifetime : 24 * 3_600_000L) + windowMs;
    meters.suspended(suspended::size);
  }

  /** Registers the node's consumers: replay answers and other nodes' word about sessions held here. */
  public Future<Void> start() {
    MessageConsumer<ReplayAnswer> answers = vertx.eventBus().consumer(BusAddresses.replayAnswers(nodeId),
        m -> onAnswer(m.body()));
    MessageConsumer<JsonObject> sessions = vertx.eventBus().consumer(BusAddresses.sessions(nodeId), this::onNodeWord);
    consumers.add(answers);
    consumers.add(sessions);
    return Future.all(answers.completion(), sessions.completion()).mapEmpty();
  }

  public Future<Void> close() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  /** Suspended sessions this node holds a placeholder for. */
  public int suspendedCount() {
    return suspended.size();
  }

  @Override
  public void hello(SessionSocket socket, String resumeToken) {
    if (resumeToken == null) {
      open(socket, null);
      return;
    }
    SessionTokens.Token token = SessionTokens.parse(resumeToken);
    if (token == null) {
      open(socket, "token-malformed");
      return;
    }
    resume(socket, token, CLAIM_ATTEMPTS);
  }

  /**
   * Reads the named session and claims it unless refused. A claim that loses its compare-and-set
   * reads again (the old node may have suspended it meanwhile); after a winning resume the token is
   * spent, so the next read refuses it.
   */
  private void resume(SessionSocket socket, SessionTokens.Token token, int attempts) {
    store.get(token.sessionId()).onComplete(ar -> socket.onLoop(() -> {
      if (ar.failed()) {
        LOG.warn("session store did not answer for a resume: {}", ar.cause().toString());
        open(socket, "session-unknown");
        return;
      }
      String refusal = refusal(ar.result(), token, socket);
      if (refusal != null) {
        open(socket, refusal);
      } else {
        claim(socket, token, ar.result(), attempts);
      }
    }));
  }

  private static String refusal(SessionRecord r, SessionTokens.Token token, SessionSocket socket) {
    if (r == null) {
      return "session-unknown";
    }
    if (!SessionTokens.matches(token.secret(), r.tokenHash())) {
      return "token-invalid";
    }
    if (!Objects.equals(r.user(), socket.userId())) {
      return "user-mismatch";
    }
    if (SessionRecord.EXPIRED.equals(r.state())
        || SessionRecord.SUSPENDED.equals(r.state()) && r.expiresAt() <= System.currentTimeMillis()) {
      return "session-expired";
    }
    return SessionRecord.ENDED.equals(r.state()) ? "session-ended" : null;
  }

  /** A new session; {@code refusal} says why a resume was refused, or null. */
  private void open(SessionSocket socket, String refusal) {
    String id = SessionTokens.newSessionId();
    SessionTokens.Token token = SessionTokens.newToken(id);
    SessionRecord record = SessionRecord.open(id, socket.userId(), socket.appId(), SessionTokens.hash(token.secret()),
        nodeId, socket.connectionId(), System.currentTimeMillis());
    if (refusal != null) {
      meters.resume(refusal);
    }
    store.create(record, activeTtlMs).onComplete(ar -> socket.onLoop(() -> {
      if (ar.failed()) {
        LOG.warn("session store did not take a new session: {}", ar.cause().toString());
        socket.refuse(CloseCodes.TRY_AGAIN_LATER, "session store unavailable, try again later");
        return;
      }
      Live session = new Live(socket, store, record);
      live.put(id, session);
      JsonObject welcome = welcome(id, token, socket, false);
      if (refusal != null) {
        welcome.put("recovered", false).put("reason", refusal);
      }
      socket.welcome(id, welcome.encode(), false);
      if (socket.closed()) { // closed while the store answered: the welcome was never seen
        live.remove(id, session);
        session.update(r -> r.finished(SessionRecord.ENDED, System.currentTimeMillis()), windowMs + MARGIN_MS);
        return;
      }
      socket.publish(events.lifecycle(EventTypes.SESSION_OPEN, describe(session.record(), socket)));
    }));
  }

  private JsonObject welcome(String id, SessionTokens.Token token, SessionSocket socket, boolean resumed) {
    return new JsonObject().put("t", "welcome").put("v", 1).put("session", id).put("token", token.value())
        .put("connectionId", socket.connectionId()).put("resumed", resumed);
  }

  private JsonObject describe(SessionRecord r, SessionSocket socket) {
    return new JsonObject().put("sessionId", r.id()).put("connectionId", socket.connectionId())
        .put("userId", r.user()).put("appId", r.app()).put("node", nodeId).put("epoch", r.epoch());
  }

  /** The resume is valid: claims the record (compare-and-set), takes the session over, welcomes, replays. */
  private void claim(SessionSocket socket, SessionTokens.Token offered, SessionRecord previous, int attempts) {
    SessionTokens.Token token = SessionTokens.newToken(previous.id());
    SessionRecord next = previous.claimed(nodeId, socket.connectionId(), SessionTokens.hash(token.secret()));
    store.replace(previous, next, activeTtlMs).compose(won -> won ? handOver(previous) : Future.succeededFuture(null))
        .onComplete(ar -> socket.onLoop(() -> {
          if (ar.succeeded() && ar.result() != null) {
            resumed(socket, previous, next, token, ar.result());
          } else if (attempts > 1 && !socket.gone()) {
            resume(socket, offered, attempts - 1);
          } else {
            open(socket, "token-invalid");
          }
        }));
  }

  /** Ends the previous holder's part: answers the acked positions to resume from. */
  private Future<Map<Integer, Long>> handOver(SessionRecord previous) {
    String op = SessionRecord.ACTIVE.equals(previous.state()) ? "takeover" : "drop";
    Future<Map<Integer, Long>> answer;
    if (nodeId.equals(previous.node())) {
      answer = "takeover".equals(op) ? takeOverLocal(previous.id()) : dropLocal(previous.id());
    } else {
      answer = vertx.eventBus().<JsonObject>request(BusAddresses.sessions(previous.node()),
          new JsonObject().put("op", op).put("session", previous.id()),
          new DeliveryOptions().setSendTimeout(TAKEOVER_TIMEOUT_MS)).map(m -> acked(m.body().getJsonObject("acked")));
    }
    return answer.map(marks -> marks == null ? previous.acked() : marks).otherwise(e -> previous.acked());
  }

  private Future<Map<Integer, Long>> takeOverLocal(String sessionId) {
    Live session = live.remove(sessionId);
    if (session == null) {
      return Future.succeededFuture(null);
    }
    return Future.future(p -> session.socket.onLoop(() -> {
      Map<Integer, Long> marks = session.socket.ledger().watermarks();
      session.socket.takeOver();
      p.complete(marks);
    }));
  }

  private Future<Map<Integer, Long>> dropLocal(String sessionId) {
    Live session = suspended.remove(sessionId);
    if (session != null) {
      session.socket.onLoop(() -> {
        vertx.cancelTimer(session.expiryTimer);
        registry.remove(session.placeholder);
      });
    }
    return Future.succeededFuture(null);
  }

  private void onNodeWord(Message<JsonObject> message) {
    String sessionId = message.body().getString("session");
    Future<Map<Integer, Long>> answer = "takeover".equals(message.body().getString("op"))
        ? takeOverLocal(sessionId) : dropLocal(sessionId);
    answer.onComplete(ar -> message.reply(new JsonObject().put("acked", ar.succeeded() && ar.result() != null
        ? marks(ar.result()) : null)));
  }

  private void resumed(SessionSocket socket, SessionRecord previous, SessionRecord next, SessionTokens.Token token,
      Map<Integer, Long> acked) {
    Live session = new Live(socket, store, next);
    live.put(next.id(), session);
    socket.ledger().seed(acked);
    socket.welcome(next.id(), welcome(next.id(), token, socket, true).encode(), true);
    if (socket.closed()) { // closed while the session was claimed: it suspends again, resumable
      Connection placeholder = lost(socket, false, "connection-lost");
      if (placeholder != null) {
        registry.add(placeholder);
      }
      return;
    }
    long suspendedMs = SessionRecord.SUSPENDED.equals(previous.state())
        ? System.currentTimeMillis() - previous.suspendedAt() : 0;
    ReplayRequest request = new ReplayRequest(UUID.randomUUID().toString(), next.id(),
        BusAddresses.replayAnswers(nodeId), targets(next), acked, previous.checkpointAt());
    ReplayGather gather = new ReplayGather();
    replays.put(request.requestId(), gather);
    gather.whenCovered = () -> replayed(request.requestId(), socket, previous, suspendedMs);
    gather.timer = vertx.setTimer(replayTimeoutMs, t -> replayed(request.requestId(), socket, previous, suspendedMs));
    vertx.eventBus().publish(BusAddresses.REPLAY, request);
  }

  private static List<String> targets(SessionRecord r) {
    List<String> targets = new ArrayList<>();
    if (r.user() != null) {
      targets.add(ReplayRequest.user(r.user()));
    }
    r.connections().forEach(c -> targets.add(ReplayRequest.connection(c)));
    return targets;
  }

  private void onAnswer(ReplayAnswer answer) {
    ReplayGather gather = replays.get(answer.requestId());
    if (gather != null && gather.add(answer)) {
      gather.whenCovered.run();
    }
  }

  private void replayed(String requestId, SessionSocket socket, SessionRecord previous, long suspendedMs) {
    ReplayGather gather = replays.remove(requestId);
    if (gather == null || !gather.finish()) {
      return;
    }
    vertx.cancelTimer(gather.timer);
    socket.onLoop(() -> {
      int written = socket.replay(gather.pushes(), gather.recovered(), gather.reason());
      meters.resume(gather.recovered() ? "recovered" : "unrecovered");
      meters.replayed(written);
      Live session = live.get(socket.sessionId());
      if (session == null || session.socket != socket) {
        return;
      }
      socket.publish(events.lifecycle(EventTypes.SESSION_RESUME, describe(session.record(), socket)
          .put("previousConnectionId", previous.connection()).put("suspendedMs", suspendedMs)
          .put("recovered", gather.recovered()).put("replayed", written)));
    });
  }

  @Override
  public void acked(SessionSocket socket, List<PushLedger.Acked> acked) {
    for (PushLedger.Acked a : acked) {
      socket.publish(events.receipt(socket.sessionId(), socket.connectionId(), socket.userId(), a));
    }
    meters.receipts(acked.size());
  }

  @Override
  public void checkpoint(SessionSocket socket) {
    Live session = live.get(socket.sessionId());
    if (session != null && session.socket == socket) {
      Map<Integer, Long> marks = socket.ledger().watermarks();
      session.update(r -> r.checkpoint(marks, System.currentTimeMillis()), activeTtlMs);
    }
  }

  @Override
  public Connection lost(SessionSocket socket, boolean end, String reason) {
    Live session = live.get(socket.sessionId());
    if (session == null || session.socket != socket || !live.remove(socket.sessionId(), session)) {
      return null; // taken over
    }
    long now = System.currentTimeMillis();
    Map<Integer, Long> marks = socket.ledger().watermarks();
    if (end) {
      session.update(r -> r.checkpoint(marks, now).finished(SessionRecord.ENDED, now), windowMs + MARGIN_MS);
      socket.publish(events.lifecycle(EventTypes.SESSION_END, describe(session.record(), socket)
          .put("epoch", session.record().epoch() + 1).put("reason", reason)));
      return null;
    }
    long expiresAt = now + windowMs;
    SessionRecord record = session.record();
    session.placeholder = new Placeholder(record.id(), socket.connectionId(), socket.userId(), socket.appId(),
        record.createdAt(), socket.context(), expiresAt, this::endSuspended);
    suspended.put(record.id(), session);
    session.expiryTimer = vertx.setTimer(windowMs, t -> finishSuspended(session, SessionRecord.EXPIRED, "expired"));
    session.update(r -> r.suspended(marks, now, expiresAt), windowMs + MARGIN_MS).onSuccess(won -> {
      if (!won) {
        socket.onLoop(() -> dropLocal(record.id())); // resumed elsewhere meanwhile
      }
    });
    socket.publish(events.lifecycle(EventTypes.SESSION_SUSPEND, describe(record, socket)
        .put("epoch", record.epoch() + 1).put("reason", reason).put("expiresAt", expiresAt)));
    return session.placeholder;
  }

  private void endSuspended(Placeholder placeholder, String reason) {
    Live session = suspended.get(placeholder.sessionId());
    if (session != null && session.placeholder == placeholder) {
      finishSuspended(session, SessionRecord.ENDED, reason);
    }
  }

  /** A suspended session expires or ends: its placeholder goes, its record says so, its end event goes out. */
  private void finishSuspended(Live session, String state, String reason) {
    String id = session.record().id();
    if (!suspended.remove(id, session)) {
      return;
    }
    vertx.cancelTimer(session.expiryTimer);
    registry.remove(session.placeholder);
    long now = System.currentTimeMillis();
    int epoch = session.record().epoch() + 1;
    session.update(r -> r.finished(state, now), windowMs + MARGIN_MS);
    session.socket.publish(events.lifecycle(EventTypes.SESSION_END, describe(session.record(), session.socket)
        .put("epoch", epoch).put("reason", reason)));
    LOG.debug("session {} {}", id, state);
  }

  private static JsonObject marks(Map<Integer, Long> acked) {
    JsonObject json = new JsonObject();
    acked.forEach((p, o) -> json.put(Integer.toString(p), o));
    return json;
  }

  private static Map<Integer, Long> acked(JsonObject json) {
    if (json == null) {
      return null;
    }
    Map<Integer, Long> acked = new HashMap<>();
    json.forEach(e -> acked.put(Integer.parseInt(e.getKey()), ((Number) e.getValue()).longValue()));
    return acked;
  }
}
