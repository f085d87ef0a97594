package io.wxgateway.gateway.resume;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
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
  /** Reads and compare-and-sets a resume tries before it gives up (each loss is another node's transition). */
  static final int CLAIM_ATTEMPTS = 3;

  private final Vertx vertx;
  private final String nodeId;
  private final ConnectionRegistry registry;
  private final SessionStore store;
  private final SessionEvents events;
  private final SessionMeters meters;
  private final long windowMs;
  private final long activeTtlMs;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final Map<String, Live> suspended = new ConcurrentHashMap<>();
  private final Replayer replayer;
  private final Handover handover;
  private final Orphans orphans;
  private final Consumer<String> welcomed;

  /**
   * {@code welcomed}: told the connection id of every socket once its welcome is written (the
   * per-user cap looks at a session socket only then, after a resume took over the socket it replaces).
   */
  public SessionManager(Vertx vertx, GatewayOptions options, KafkaOptions kafka, ConnectionRegistry registry,
      SessionMeters meters, Consumer<String> welcomed) {
    this.vertx = vertx;
    this.welcomed = welcomed;
    this.nodeId = options.getNodeId();
    this.registry = registry;
    this.store = new SessionStore(vertx);
    this.events = new SessionEvents(kafka.getInboundTopic(), kafka.getReceiptsTopic(), nodeId);
    this.meters = meters;
    this.windowMs = options.getSession().getResumeWindowMs();
    this.handover = new Handover(vertx, nodeId, registry, live, suspended, windowMs);
    this.replayer = new Replayer(vertx, nodeId, options.getSession().getReplayTimeoutMs(), meters);
    this.orphans = new Orphans(vertx, nodeId, store, events, replayer, kafka, windowMs);
    long lifetime = options.getSocket().getMaxLifetimeMs();
    this.activeTtlMs = (lifetime > 0 ? lifetime : 24 * 3_600_000L) + windowMs;
    meters.suspended(suspended::size);
  }

  /** Registers the node's consumers: replay answers, other nodes' word about sessions held here, dead nodes'. */
  public Future<Void> start() {
    return Future.all(replayer.start(), handover.start(), orphans.start()).mapEmpty();
  }

  public Future<Void> close() {
    return Future.join(replayer.close(), handover.close(), orphans.close()).mapEmpty();
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
      welcomed.accept(socket.connectionId());
      socket.publish(events.lifecycle(EventTypes.SESSION_OPEN, describe(session.record(), socket)));
    }));
  }

  private JsonObject welcome(String id, SessionTokens.Token token, SessionSocket socket, boolean resumed) {
    return new JsonObject().put("t", "welcome").put("v", 1).put("session", id).put("token", token.value())
        .put("connectionId", socket.connectionId()).put("resumed", resumed).put("confirms", true);
  }

  private JsonObject describe(SessionRecord r, SessionSocket socket) {
    return new JsonObject().put("sessionId", r.id()).put("connectionId", socket.connectionId())
        .put("userId", r.user()).put("appId", r.app()).put("node", nodeId).put("epoch", r.epoch());
  }

  /** The resume is valid: claims the record (compare-and-set), takes the session over, welcomes, replays. */
  private void claim(SessionSocket socket, SessionTokens.Token offered, SessionRecord previous, int attempts) {
    SessionTokens.Token token = SessionTokens.newToken(previous.id());
    SessionRecord next = previous.claimed(nodeId, socket.connectionId(), SessionTokens.hash(token.secret()));
    store.replace(previous, next, activeTtlMs)
        .compose(won -> won ? handover.of(previous, socket.connectionId()) : Future.<Handover.Handed>succeededFuture(null))
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

  private void resumed(SessionSocket socket, SessionRecord previous, SessionRecord next, SessionTokens.Token token,
      Handover.Handed handed) {
    Map<Integer, Long> acked = handed.acked();
    Live session = new Live(socket, store, next);
    live.put(next.id(), session);
    socket.ledger().seed(acked);
    socket.seedTaken(handed.taken());
    socket.welcome(next.id(), welcome(next.id(), token, socket, true).encode(), true);
    if (socket.closed()) { // closed while the session was claimed: it suspends again, resumable
      Connection placeholder = lost(socket, false, "connection-lost");
      if (placeholder != null) {
        registry.add(placeholder);
      }
      return;
    }
    welcomed.accept(socket.connectionId());
    long suspendedMs = SessionRecord.SUSPENDED.equals(previous.state())
        ? System.currentTimeMillis() - previous.suspendedAt() : 0;
    replayer.replay(socket, next, acked, previous.checkpointAt(), (recovered, written) -> {
      Live now = live.get(next.id());
      if (now != null && now.socket == socket) {
        socket.publish(events.lifecycle(EventTypes.SESSION_RESUME, describe(now.record(), socket)
            .put("previousConnectionId", previous.connection()).put("suspendedMs", suspendedMs)
            .put("recovered", recovered).put("replayed", written)));
      }
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
      JsonObject event = describe(session.record(), socket).put("epoch", session.record().epoch() + 1)
          .put("reason", reason);
      session.update(r -> r.checkpoint(marks, now).finished(SessionRecord.ENDED, now), windowMs + MARGIN_MS)
          .onSuccess(won -> publishIf(won, socket, EventTypes.SESSION_END, event));
      return null;
    }
    long expiresAt = now + windowMs;
    SessionRecord record = session.record();
    session.placeholder = new Placeholder(record.id(), socket.connectionId(), socket.userId(), socket.appId(),
        record.createdAt(), socket.context(), expiresAt, this::endSuspended);
    suspended.put(record.id(), session);
    session.expiryTimer = vertx.setTimer(windowMs, t -> finishSuspended(session, SessionRecord.EXPIRED, "expired"));
    JsonObject event = describe(record, socket).put("epoch", record.epoch() + 1).put("reason", reason)
        .put("expiresAt", expiresAt);
    session.update(r -> r.suspended(marks, now, expiresAt), windowMs + MARGIN_MS).onSuccess(won -> {
      if (!won) {
        handover.drop(record.id(), null); // resumed elsewhere meanwhile: the claimer's word names the new id
      }
      publishIf(won, socket, EventTypes.SESSION_SUSPEND, event);
    });
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
    JsonObject event = describe(session.record(), session.socket).put("epoch", epoch).put("reason", reason);
    SessionRecord[] before = new SessionRecord[1];
    session.update(r -> (before[0] = r).finished(state, now), windowMs + MARGIN_MS).onSuccess(won -> {
      if (won) { // no resume can win now: what it would have replayed is dead-lettered
        replayer.ended(before[0]);
      }
      publishIf(won, session.socket, EventTypes.SESSION_END, event);
    });
    LOG.debug("session {} {}", id, state);
  }

  /** Publishes the lifecycle event, on the socket's loop, if the transition it reports won its compare-and-set. */
  private void publishIf(boolean won, SessionSocket socket, String type, JsonObject event) {
    if (won) {
      socket.onLoop(() -> socket.publish(events.lifecycle(type, event)));
    }
  }
}
