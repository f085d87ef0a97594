package io.wxgateway.gateway.resume;

import java.util.function.UnaryOperator;

import io.vertx.core.Future;
import io.wxgateway.gateway.session.SessionSocket;

/**
 * A session this node holds, active (its socket) or suspended (its placeholder and expiry timer),
 * with the record as last stored. Store writes are chained, each a compare-and-set against the
 * record the previous one left, so a checkpoint in flight never makes the suspend that follows fail.
 * Changed only on the socket's event loop.
 */
final class Live {

  final SessionSocket socket;
  private final SessionStore store;
  private volatile SessionRecord record;
  private Future<Boolean> chain = Future.succeededFuture(true);
  Placeholder placeholder;
  long expiryTimer = -1;

  Live(SessionSocket socket, SessionStore store, SessionRecord record) {
    this.socket = socket;
    this.store = store;
    this.record = record;
  }

  SessionRecord record() {
    return record;
  }

  /** Stores {@code change} of the current record, after the writes before it; true if it won its compare-and-set. */
  Future<Boolean> update(UnaryOperator<SessionRecord> change, long ttlMs) {
    chain = chain.transform(ignored -> {
      SessionRecord current = record;
      SessionRecord next = change.apply(current);
      return store.replace(current, next, ttlMs).map(won -> {
        if (won) {
          record = next;
        }
        return won;
      });
    });
    return chain;
  }
}
