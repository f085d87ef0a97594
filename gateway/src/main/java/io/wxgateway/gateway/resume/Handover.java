package io.wxgateway.gateway.resume;

import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.gateway.connection.ConnectionRegistry;

/**
 * How a resumed session leaves the node that held it: a socket that still looks open closes with
 * 4409 without suspending and answers its acknowledged positions ({@code takeover}); a suspended
 * session's placeholder goes ({@code drop}). Across nodes the word goes over the event bus
 * ({@link BusAddresses#sessions}); a node that does not answer in time is replaced by the stored
 * checkpoint. Thread-safe: it touches a socket only on the socket's loop.
 */
final class Handover {

  /** How long a takeover waits for the old node before it trusts the stored checkpoint. */
  static final long TAKEOVER_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final String nodeId;
  private final ConnectionRegistry registry;
  private final Map<String, Live> live;
  private final Map<String, Live> suspended;
  private MessageConsumer<JsonObject> consumer;

  Handover(Vertx vertx, String nodeId, ConnectionRegistry registry, Map<String, Live> live,
      Map<String, Live> suspended) {
    this.vertx = vertx;
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

  /** Ends the previous holder's part: answers the acked positions to resume from. */
  Future<Map<Integer, Long>> of(SessionRecord previous) {
    String op = SessionRecord.ACTIVE.equals(previous.state()) ? "takeover" : "drop";
    Future<Map<Integer, Long>> answer;
    if (nodeId.equals(previous.node())) {
      answer = "takeover".equals(op) ? takeOver(previous.id()) : drop(previous.id());
    } else {
      answer = vertx.eventBus().<JsonObject>request(BusAddresses.sessions(previous.node()),
          new JsonObject().put("op", op).put("session", previous.id()),
          new DeliveryOptions().setSendTimeout(TAKEOVER_TIMEOUT_MS))
          .map(m -> SessionRecord.acked(m.body().getJsonObject("acked")));
    }
    return answer.map(marks -> marks == null ? previous.acked() : marks).otherwise(e -> previous.acked());
  }

  private Future<Map<Integer, Long>> takeOver(String sessionId) {
    Live session = live.remove(sessionId);
    if (session == null) {
      // suspending here while the claim was made: its last positions, the placeholder goes when its write loses
      Live suspending = suspended.get(sessionId);
      return suspending == null ? Future.succeededFuture(null)
          : Future.future(p -> suspending.socket.onLoop(() -> p.complete(suspending.socket.ledger().watermarks())));
    }
    return Future.future(p -> session.socket.onLoop(() -> {
      Map<Integer, Long> marks = session.socket.ledger().watermarks();
      session.socket.takeOver();
      p.complete(marks);
    }));
  }

  Future<Map<Integer, Long>> drop(String sessionId) {
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
        ? takeOver(sessionId) : drop(sessionId);
    answer.onComplete(ar -> message.reply(new JsonObject().put("acked", ar.succeeded() && ar.result() != null
        ? SessionRecord.marks(ar.result()) : null)));
  }
}
