package io.wxgateway.gateway.resume;

import java.util.List;

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
  /** Whether the map's compare-and-set takes a TTL; learnt at the first transition. */
  private volatile boolean ttlOnReplace = true;

  SessionStore(Vertx vertx) {
    this.map = vertx.sharedData().<String, String>getAsyncMap(MAP);
  }

  /** The record, or null when there is none. */
  Future<SessionRecord> get(String id) {
    return map.compose(m -> m.get(id)).map(SessionRecord::decode);
  }

  /** Every record (a scan of the whole map: for rare work such as adopting a dead node's sessions). */
  Future<List<SessionRecord>> all() {
    return map.compose(AsyncMap::values).map(values -> values.stream().map(SessionRecord::decode).toList());
  }

  /** Stores a new record; fails if one with its id exists (128 random bits: never). */
  Future<Void> create(SessionRecord record, long ttlMs) {
    return map.compose(m -> m.putIfAbsent(record.id(), record.encoded(), ttlMs)).compose(previous -> previous == null
        ? Future.succeededFuture() : Future.failedFuture("session id taken"));
  }

  /**
   * Replaces {@code expected} by {@code next} only if the stored record is still {@code expected}.
   * A cluster manager without a compare-and-set that takes a TTL (Hazelcast's async map in Vert.x 5)
   * gets one without: the entry then keeps the expiry its store applies to replaced entries, and the
   * record's own state and {@code expiresAt} still refuse a late resume.
   */
  Future<Boolean> replace(SessionRecord expected, SessionRecord next, long ttlMs) {
    return map.compose(m -> {
      if (!ttlOnReplace) {
        return m.replaceIfPresent(expected.id(), expected.encoded(), next.encoded());
      }
      return m.replaceIfPresent(expected.id(), expected.encoded(), next.encoded(), ttlMs).recover(e -> {
        if (!(e instanceof UnsupportedOperationException)) {
          return Future.failedFuture(e);
        }
        ttlOnReplace = false;
        return m.replaceIfPresent(expected.id(), expected.encoded(), next.encoded());
      });
    });
  }
}
