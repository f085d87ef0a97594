package io.wxgateway.gateway.resume;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of gateway nodes that died. A dead node cannot suspend its active sessions nor expire
 * its suspended ones, so without this their backends would never see them end. When the cluster
 * names this node the adopter ({@link BusAddresses#GATEWAYS_DEPARTED}), it reads every session whose
 * node is no longer in the directory: an active one is suspended (reason {@code node-lost}, from its
 * last checkpoint, resumable on any node for a whole window from now), and each suspended one expires
 * at its time unless a resume claimed it first. Every transition is the store's compare-and-set, so a
 * resume racing it, or the dead node coming back, makes one of the two lose and publish nothing.
 *
 * <p>A node that stops for good hands the same work on ({@link #close()}). Runs on the context that
 * called {@link #start()}; the producer is made at the first event.
 */
final class Orphans {

  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);
  static final String NODE_LOST = "node-lost";
  /** In {@link #watched} while an adoption's compare-and-set is in flight. */
  private static final long ADOPTING = -1;
  /** How long a leaving node waits for the adopter's answer, in ms, before it publishes the notice instead. */
  private static final long HAND_OVER_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final String nodeId;
  private final SessionStore store;
  private final SessionEvents events;
  private final Replayer replayer;
  private final KafkaOptions kafka;
  private final long windowMs;
  /** Session id to its expiry timer, for the sessions this node adopted and still watches. */
  private final Map<String, Long> watched = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;
  private MessageConsumer<JsonObject> directConsumer;
  private KafkaProducer<String, byte[]> producer;

  Orphans(Vertx vertx, String nodeId, SessionStore store, SessionEvents events, Replayer replayer, KafkaOptions kafka,
      long windowMs) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.store = store;
    this.events = events;
    this.replayer = replayer;
    this.kafka = kafka;
    this.windowMs = windowMs;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(BusAddresses.GATEWAYS_DEPARTED, m -> departed(m.body()));
    directConsumer = vertx.eventBus().consumer(BusAddresses.departedFor(nodeId), m -> {
      departed(m.body());
      m.reply(null);
    });
    return Future.all(consumer.completion(), directConsumer.completion()).mapEmpty();
  }

  /**
   * Stops watching and, in a cluster, hands this node's part to another: a node that leaves for good
   * (after its drain suspended its sessions, and out of the directory already) names the live gateway
   * node with the lowest id the adopter of whatever no live node holds, its own suspended sessions
   * and those it adopted, since nobody would expire them otherwise.
   */
  Future<Void> close() {
    watched.values().forEach(vertx::cancelTimer);
    watched.clear();
    Future<Void> handedOver = new NodeDirectory(vertx).nodes().compose(live -> live.stream()
        .filter(n -> !n.equals(nodeId)).min(String::compareTo).map(this::handOverTo)
        .orElse(Future.succeededFuture())).otherwise(e -> {
          LOG.warn("could not hand the sessions of {} over to another node: {}", nodeId, e.toString());
          return null;
        });
    Future<Void> unregistered = handedOver.eventually(() -> consumer == null ? Future.succeededFuture()
        : Future.all(consumer.unregister(), directConsumer.unregister()));
    return producer == null ? unregistered : unregistered.eventually(producer::close);
  }

  /**
   * Tells {@code adopter} and waits for its answer, so the notice is not lost in a connection this
   * node's Vert.x closes right after. A node without the direct address (an older version, during a
   * rolling upgrade) gets the notice published, as before.
   */
  private Future<Void> handOverTo(String adopter) {
    JsonObject notice = new JsonObject().put("departed", new JsonArray().add(nodeId)).put("adopter", adopter);
    return vertx.eventBus().request(BusAddresses.departedFor(adopter), notice,
        new DeliveryOptions().setSendTimeout(HAND_OVER_TIMEOUT_MS)).<Void>mapEmpty().recover(e -> {
          vertx.eventBus().publish(BusAddresses.GATEWAYS_DEPARTED, notice);
          return Future.succeededFuture();
        });
  }

  /** Sessions this node adopted whose expiry it still waits for. */
  int watching() {
    return watched.size();
  }

  private void departed(JsonObject notice) {
    if (!nodeId.equals(notice.getString("adopter"))) {
      return;
    }
    new NodeDirectory(vertx).nodes().compose(live -> store.all().map(all -> {
      int adopted = 0;
      for (SessionRecord r : all) {
        if (r != null && !live.contains(r.node()) && adopt(r)) {
          adopted++;
        }
      }
      return adopted;
    })).onSuccess(n -> LOG.info("gateway node(s) {} departed: {} of their session(s) adopted by {}",
        notice.getJsonArray("departed"), n, nodeId))
        .onFailure(e -> LOG.warn("could not adopt the sessions of departed gateway node(s) {}: {}",
            notice.getJsonArray("departed"), e.toString()));
  }

  private boolean adopt(SessionRecord r) {
    if (watched.containsKey(r.id())) {
      return false;
    }
    if (SessionRecord.ACTIVE.equals(r.state())) {
      SessionRecord next = r.orphaned(System.currentTimeMillis() + windowMs);
      watched.put(r.id(), ADOPTING);
      store.replace(r, next, windowMs + SessionManager.MARGIN_MS).onComplete(ar -> {
        watched.remove(r.id(), ADOPTING);
        if (ar.succeeded() && ar.result()) {
          publish(EventTypes.SESSION_SUSPEND, describe(next).put("reason", NODE_LOST).put("expiresAt", next.expiresAt()));
          watch(next);
        }
      });
      return true;
    }
    if (SessionRecord.SUSPENDED.equals(r.state())) {
      watch(r);
      return true;
    }
    return false;
  }

  private void watch(SessionRecord r) {
    long delay = Math.max(1, r.expiresAt() - System.currentTimeMillis());
    watched.put(r.id(), vertx.setTimer(delay, t -> expire(r)));
  }

  /** The window passed: expires the session unless it changed since (a resume claimed it, a node ended it). */
  private void expire(SessionRecord r) {
    watched.remove(r.id());
    SessionRecord next = r.finished(SessionRecord.EXPIRED, System.currentTimeMillis());
    store.replace(r, next, SessionManager.MARGIN_MS).onSuccess(won -> {
      if (won) {
        replayer.ended(r);
        publish(EventTypes.SESSION_END, describe(next).put("reason", "expired"));
      }
    });
  }

  private JsonObject describe(SessionRecord r) {
    return new JsonObject().put("sessionId", r.id()).put("connectionId", r.connection()).put("userId", r.user())
        .put("appId", r.app()).put("node", nodeId).put("epoch", r.epoch());
  }

  private void publish(String type, JsonObject event) {
    if (producer == null) {
      producer = KafkaProducer.createShared(vertx, "wx-gateway-sessions", kafka.producerConfig("wx-gateway-" + nodeId + "-sessions"));
    }
    ProducerRecord<String, byte[]> record = events.lifecycle(type, event);
    KafkaProducerRecord<String, byte[]> out = KafkaProducerRecord.create(record.topic(), record.key(), record.value());
    record.headers().forEach(h -> out.addHeader(h.key(), Buffer.buffer(h.value())));
    producer.send(out).onFailure(e -> LOG.warn("session {}: Kafka did not take its {} event: {}",
        event.getString("sessionId"), type, e.toString()));
  }
}
