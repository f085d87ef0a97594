package io.wxgateway.gateway.resume;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One session as the store keeps it, encoded as JSON text (so compare-and-set compares the whole
 * record): id, user, app, token hash, state, node, current and all connection ids, times, the acked
 * positions of the last checkpoint, and the epoch (transitions so far). Immutable: each transition
 * makes a new record. Thread-safe.
 */
final class SessionRecord {

  static final String ACTIVE = "active";
  static final String SUSPENDED = "suspended";
  static final String ENDED = "ended";
  static final String EXPIRED = "expired";

  private final JsonObject json;
  private final String encoded;

  private SessionRecord(JsonObject json) {
    this.json = json;
    this.encoded = json.encode();
  }

  static SessionRecord decode(String encoded) {
    return encoded == null ? null : new SessionRecord(new JsonObject(encoded));
  }

  /** A new active session of the socket {@code connectionId} on {@code node}. */
  static SessionRecord open(String id, String user, String app, String tokenHash, String node, String connectionId,
      long now) {
    return new SessionRecord(new JsonObject().put("id", id).put("user", user).put("app", app)
        .put("tokenHash", tokenHash).put("state", ACTIVE).put("node", node).put("connection", connectionId)
        .put("connections", new JsonArray().add(connectionId)).put("createdAt", now).put("suspendedAt", 0L)
        .put("expiresAt", 0L).put("acked", new JsonObject()).put("checkpointAt", now).put("epoch", 1));
  }

  String encoded() {
    return encoded;
  }

  String id() {
    return json.getString("id");
  }

  String user() {
    return json.getString("user");
  }

  String app() {
    return json.getString("app");
  }

  String tokenHash() {
    return json.getString("tokenHash");
  }

  String state() {
    return json.getString("state");
  }

  String node() {
    return json.getString("node");
  }

  String connection() {
    return json.getString("connection");
  }

  @SuppressWarnings("unchecked")
  List<String> connections() {
    return json.getJsonArray("connections").getList();
  }

  long createdAt() {
    return json.getLong("createdAt");
  }

  long suspendedAt() {
    return json.getLong("suspendedAt");
  }

  long expiresAt() {
    return json.getLong("expiresAt");
  }

  long checkpointAt() {
    return json.getLong("checkpointAt");
  }

  int epoch() {
    return json.getInteger("epoch");
  }

  Map<Integer, Long> acked() {
    return acked(json.getJsonObject("acked"));
  }

  /** Acked positions as JSON, {partition: offset}. */
  static JsonObject marks(Map<Integer, Long> acked) {
    JsonObject json = new JsonObject();
    acked.forEach((p, o) -> json.put(Integer.toString(p), o));
    return json;
  }

  /** Acked positions from JSON {partition: offset}; null for null. */
  static Map<Integer, Long> acked(JsonObject json) {
    if (json == null) {
      return null;
    }
    Map<Integer, Long> acked = new HashMap<>();
    json.forEach(e -> acked.put(Integer.parseInt(e.getKey()), ((Number) e.getValue()).longValue()));
    return acked;
  }

  private SessionRecord with(String key, Object value) {
    JsonObject copy = json.copy().put(key, value);
    return new SessionRecord(copy);
  }

  /** The acked positions as of now: a checkpoint. */
  SessionRecord checkpoint(Map<Integer, Long> acked, long now) {
    return with("acked", marks(acked)).with("checkpointAt", now);
  }

  SessionRecord suspended(Map<Integer, Long> acked, long now, long expiresAt) {
    return checkpoint(acked, now).with("state", SUSPENDED).with("suspendedAt", now).with("expiresAt", expiresAt)
        .with("epoch", epoch() + 1);
  }

  /**
   * Its node died while it was active: suspended as of its last checkpoint (the last moment the node
   * is known to have had it), resumable until {@code expiresAt}.
   */
  SessionRecord orphaned(long expiresAt) {
    return with("state", SUSPENDED).with("suspendedAt", checkpointAt()).with("expiresAt", expiresAt)
        .with("epoch", epoch() + 1);
  }

  SessionRecord finished(String state, long now) {
    return with("state", state).with("expiresAt", now).with("epoch", epoch() + 1);
  }

  /** Claimed by a resume: active again on {@code node} through {@code connectionId}, with a new token. */
  SessionRecord claimed(String node, String connectionId, String tokenHash) {
    JsonArray all = json.getJsonArray("connections").copy();
    if (!all.contains(connectionId)) {
      all.add(connectionId);
    }
    return with("state", ACTIVE).with("node", node).with("connection", connectionId).with("connections", all)
        .with("tokenHash", tokenHash).with("expiresAt", 0L).with("epoch", epoch() + 1);
  }
}
