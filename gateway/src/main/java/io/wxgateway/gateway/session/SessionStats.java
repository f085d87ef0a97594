package io.wxgateway.gateway.session;

import io.vertx.core.json.JsonObject;

/**
 * What one socket has done so far: for its close event and for the admin API. A session's are its
 * {@link SessionLimits}, which extends this class: one object per socket rather than two (an object
 * header and a reference in each part that holds both, on every idle socket). Used on the socket's
 * event loop.
 */
class SessionStats {

  final long openedAt = System.currentTimeMillis();
  private long messagesIn;
  private long messagesOut;
  private long bytesIn;
  private long bytesOut;

  void received(int bytes) {
    messagesIn++;
    bytesIn += bytes;
  }

  void sent(int bytes) {
    messagesOut++;
    bytesOut += bytes;
  }

  long durationMs() {
    return System.currentTimeMillis() - openedAt;
  }

  /** The counters and the duration, merged into {@code target}. */
  JsonObject addTo(JsonObject target) {
    return target.put("durationMs", durationMs())
        .put("messagesIn", messagesIn)
        .put("messagesOut", messagesOut)
        .put("bytesIn", bytesIn)
        .put("bytesOut", bytesOut);
  }
}
