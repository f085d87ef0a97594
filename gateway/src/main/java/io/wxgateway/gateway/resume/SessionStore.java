package io.wxgateway.gateway.resume;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The session records in the Vert.x async map {@code wx.sessions} (cluster-wide when clustered),
 * keyed by session id. Every write carries a TTL so no record outlives its use; every transition is
 * a compare-and-set on the whole encoded record. Thread-safe; futures complete on the caller's context.
 */
final class SessionStore {

  static final String MAP = "wx.sessions";

  private final Future<AsyncMap<String, String>> map;

  SessionStore(Vertx vertx) {
    this.map = vertx.sharedData().<String, String>getAsyncMap(MAP);
  }

  /** The record, or null when there is none. */
  Future<SessionRecord> get(String id) {
    return map.compose(m -> m.get(id)).map(SessionRecord::decode);
  }

  /** Stores a new record; fails if one with its id exists (128 random bits: never). */
  Future<Void> create(SessionRecord record, long ttlMs) {
    return map.compose(m -> m.putIfAbsent(record.id(), record.encoded(), ttlMs)).compose(previous -> previous == null
        ? Future.succeededFuture() : Future.failedFuture("session id taken"));
  }

  /** Replaces {@code expected} by {@code next} only if the stored record is still {@code expected}. */
  Future<Boolean> replace(SessionRecord expected, SessionRecord next, long ttlMs) {
    return map.compose(m -> m.replaceIfPresent(expected.id(), expected.encoded(), next.encoded(), ttlMs));
  }
}
