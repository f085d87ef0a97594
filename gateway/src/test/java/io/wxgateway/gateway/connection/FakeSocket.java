package io.wxgateway.gateway.connection;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;

/**
 * A connection without a network, for tests of what reads the registry (the registry itself, the user
 * cap): it delivers everything and records the codes it is closed with, from any thread.
 */
public record FakeSocket(String connectionId, String userId, long openedAt, boolean standsIn, boolean awaitsWelcome,
    List<Short> closes) implements Connection {

  /** An open socket of {@code userId}. */
  public FakeSocket(String connectionId, String userId) {
    this(connectionId, userId, 0, false, false, new CopyOnWriteArrayList<>());
  }

  /** A suspended session's stand-in for {@code userId}. */
  public static FakeSocket standIn(String connectionId, String userId) {
    return new FakeSocket(connectionId, userId, 0, true, false, new CopyOnWriteArrayList<>());
  }

  /** A socket of {@code userId} opened at {@code openedAt}, maybe a session socket not welcomed yet. */
  public static FakeSocket opened(String connectionId, String userId, long openedAt, boolean awaitsWelcome) {
    return new FakeSocket(connectionId, userId, openedAt, false, awaitsWelcome, new CopyOnWriteArrayList<>());
  }

  @Override
  public String appId() {
    return null;
  }

  @Override
  public Context context() {
    return null;
  }

  @Override
  public DeliveryResult write(Delivery delivery) {
    return DeliveryResult.delivered(1);
  }

  @Override
  public void tick(long nowMillis) {
  }

  @Override
  public void close(short code, String reason) {
    closes.add(code);
  }

  @Override
  public Future<JsonObject> describe() {
    return Future.succeededFuture(new JsonObject());
  }
}
