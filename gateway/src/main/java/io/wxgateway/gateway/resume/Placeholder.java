package io.wxgateway.gateway.resume;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.CloseCodes;

/**
 * A suspended session's stand-in in the connection registry, under its socket's connection id and
 * user, so routing and presence do not change: a push to it is answered <em>held</em> (the bridge
 * keeps it for the replay), a close delivery ends the session. Written on {@link #context()} only.
 */
final class Placeholder implements io.wxgateway.gateway.connection.Connection {

  /** What ends a suspended session from outside: a backend's close, a kick, a replacement. */
  interface Ender {
    void end(Placeholder placeholder, String reason);
  }

  private final String sessionId;
  private final String connectionId;
  private final String userId;
  private final String appId;
  private final long openedAt;
  private final Context context;
  private final Ender ender;
  private volatile long expiresAt;

  Placeholder(String sessionId, String connectionId, String userId, String appId, long openedAt, Context context,
      long expiresAt, Ender ender) {
    this.sessionId = sessionId;
    this.connectionId = connectionId;
    this.userId = userId;
    this.appId = appId;
    this.openedAt = openedAt;
    this.context = context;
    this.expiresAt = expiresAt;
    this.ender = ender;
  }

  String sessionId() {
    return sessionId;
  }

  long expiresAt() {
    return expiresAt;
  }

  @Override
  public String connectionId() {
    return connectionId;
  }

  @Override
  public String userId() {
    return userId;
  }

  @Override
  public String appId() {
    return appId;
  }

  @Override
  public long openedAt() {
    return openedAt;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public DeliveryResult write(Delivery delivery) {
    if (delivery.action() == Delivery.Action.CLOSE) {
      ender.end(this, "closed-by-backend");
      return DeliveryResult.delivered(1);
    }
    if (delivery.targetKind() == Delivery.TargetKind.ALL) {
      return DeliveryResult.delivered(0); // broadcasts are never replayed
    }
    return DeliveryResult.held(sessionId, expiresAt);
  }

  @Override
  public boolean standsIn() {
    return true;
  }

  @Override
  public void tick(long nowMillis) {
    // the session's expiry has its own timer
  }

  /** A kick or a replacement ends the session; a drain or another close leaves it suspended. */
  @Override
  public void close(short code, String reason) {
    if (code == CloseCodes.KICKED) {
      context.runOnContext(v -> ender.end(this, "kicked"));
    } else if (code == CloseCodes.REPLACED) {
      context.runOnContext(v -> ender.end(this, "replaced"));
    }
  }

  @Override
  public Future<JsonObject> describe() {
    return Future.succeededFuture(new JsonObject().put("connectionId", connectionId).put("sessionId", sessionId)
        .put("state", "suspended").put("expiresAt", expiresAt).put("openedAt", openedAt));
  }
}
