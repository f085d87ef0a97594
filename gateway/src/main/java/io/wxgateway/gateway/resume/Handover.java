package io.wxgateway.gateway.resume;

import java.util.List;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.session.SessionSocket;

/**
 * How a resumed session leaves the node that held it: a socket that still looks open closes with
 * 4409 without suspending and answers its acknowledged positions ({@code takeover}); a suspended
 * session's placeholder goes ({@code drop}). Across nodes the word goes over the event bus
 * ({@link BusAddresses#sessions}); a node that does not answer in time is replaced by the stored
 * checkpoint. The node that let the session go answers its old connection id with the new one for a
 * resume window ({@link io.wxgateway.gateway.connection.MovedConnections}), so that a backend's answer to
 * the connection a message came from still reaches the phone. Thread-safe: it touches a socket only on
 * the socket's loop.
 */
final class Handover {

  /**
   * What the node that held a session hands over: the acknowledged positions to replay after (null:
   * the stored checkpoint's) and the ids of the client's last messages Kafka took from its socket, so
   * that the ones the client sends again (their {@code got} lost with the socket) are not relayed twice.
   */
  record Handed(Map<Integer, Long> acked, List<String> taken) {
    static final Handed NOTHING = new Handed(null, List.of());
  }

  /** How long a takeover waits for the old node before it trusts the stored checkpoint. */
  static final long TAKEOVER_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final String nodeId;
  private final ConnectionRegistry registry;
  private final Map<String, Live> live;
  private final Map<String, Live> suspended;
  private final long movedForMs;
  private MessageConsumer<JsonObject> consumer;

  /** {@code movedForMs}: how long an old connection id is answered with the new one. */
  Handover(Vertx vertx, String nodeId, ConnectionRegistry registry, Map<String, Live> live,
      Map<String, Live> suspended, long movedForMs) {
    this.vertx = vertx;
    this.movedForMs = movedForMs;
    this.nodeId = nodeId;
    this.registry = registry;
    this.live = live;
    this.suspended = suspended;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(BusAddresses.sessions(nodeId), this::onNodeWord);
    return consumer.completion();
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * Ends the previous holder's part, the session going on as connection {@code to}: answers the acked
   * positions to resume from (the stored ones when that node does not know them) and the message ids
   * taken.
   */
  Future<Handed> of(SessionRecord previous, String to) {
    String op = SessionRecord.ACTIVE.equals(previous.state()) ? "takeover" : "drop";
    Future<Handed> answer;
    if (nodeId.equals(previous.node())) {
      answer = "takeover".equals(op) ? takeOver(previous.id(), to) : drop(previous.id(), to);
    } else {
      answer = vertx.eventBus().<JsonObject>request(BusAddresses.sessions(previous.node()),
          new JsonObject().put("op", op).put("session", previous.id()).put("to", to),
          new DeliveryOptions().setSendTimeout(TAKEOVER_TIMEOUT_MS))
          .map(m -> new Handed(SessionRecord.acked(m.body().getJsonObject("acked")), taken(m.body())));
    }
    return answer.map(h -> h.acked() == null ? new Handed(previous.acked(), h.taken()) : h)
        .otherwise(e -> new Handed(previous.acked(), List.of()));
  }

  /** The ids in a node's answer; none from a node of the previous version. */
  private static List<String> taken(JsonObject answer) {
    JsonArray ids = answer.getJsonArray("taken");
    return ids == null ? List.of() : ids.stream().filter(String.class::isInstance).map(String.class::cast).toList();
  }

  private Future<Handed> takeOver(String sessionId, String to) {
    Live session = live.remove(sessionId);
    if (session == null) {
      // suspending here while the claim was made: its last positions, the placeholder goes when its write loses
      Live suspending = suspended.get(sessionId);
      if (suspending == null) {
        return Future.succeededFuture(Handed.NOTHING);
      }
      moved(suspending.socket.connectionId(), to);
      return Future.future(p -> suspending.socket.onLoop(() -> p.complete(handed(suspending.socket))));
    }
    moved(session.socket.connectionId(), to);
    return Future.future(p -> session.socket.onLoop(() -> {
      Handed handed = handed(session.socket);
      session.socket.takeOver();
      p.complete(handed);
    }));
  }

  /** On the socket's loop. */
  private static Handed handed(SessionSocket socket) {
    return new Handed(socket.ledger().watermarks(), socket.takenIds());
  }

  /** The suspended session resumed as connection {@code to} (null: not known here): its placeholder goes. */
  Future<Handed> drop(String sessionId, String to) {
    Live session = suspended.remove(sessionId);
    if (session == null) {
      return Future.succeededFuture(Handed.NOTHING);
    }
    moved(session.socket.connectionId(), to);
    return Future.future(p -> session.socket.onLoop(() -> {
      vertx.cancelTimer(session.expiryTimer);
      registry.remove(session.placeholder);
      p.complete(new Handed(null, session.socket.takenIds())); // its positions are the stored ones
    }));
  }

  /** Deliveries to {@code from} are answered with {@code to} for the next {@code movedForMs}. */
  private void moved(String from, String to) {
    if (to == null || to.equals(from) || movedForMs <= 0) {
      return;
    }
    registry.moved().add(from, to);
    vertx.setTimer(movedForMs, t -> registry.moved().remove(from, to));
  }

  private void onNodeWord(Message<JsonObject> message) {
    String sessionId = message.body().getString("session");
    String to = message.body().getString("to"); // null from a node of the previous version
    Future<Handed> answer = "takeover".equals(message.body().getString("op")) ? takeOver(sessionId, to)
        : drop(sessionId, to);
    answer.onComplete(ar -> {
      Handed handed = ar.succeeded() ? ar.result() : Handed.NOTHING;
      message.reply(new JsonObject().put("acked", handed.acked() != null ? SessionRecord.marks(handed.acked()) : null)
          .put("taken", new JsonArray(handed.taken())));
    });
  }
}
