package io.wxgateway.gateway.connection;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;

/**
 * What one open socket shows the rest of the node: who it is, the event loop that owns it, and the
 * few things others may ask of it. The registry, the supervisor, the drainer, presence, the user cap,
 * deliveries and the admin API depend on this, never on how a socket reads and writes.
 *
 * <p>Threading: the identity getters may be called from any thread. {@link #write} and {@link #tick}
 * only on {@link #context()}'s event loop; {@link #close} and {@link #describe} from any thread
 * (they hop onto that loop).
 */
public interface Connection {

  /** The admin listing's {@code state} of a socket that {@link #awaitsWelcome}. */
  String AWAITING_WELCOME = "awaiting-hello";

  String connectionId();

  /** The authenticated user, or null for an anonymous socket. */
  String userId();

  /** The mini program's AppID from the handshake's Referer, or null. */
  String appId();

  /** Epoch milliseconds. */
  long openedAt();

  /** The event loop that owns the socket: the only thread that may {@link #write} or {@link #tick}. */
  Context context();

  /**
   * Writes a delivery (a message, or a close) to the socket; on {@link #context()} only. Once either
   * side has sent its close frame nothing more can reach the client: {@code connection-not-found},
   * unless the socket's session goes on (held for it when it will suspend, moved when a resume took
   * it over), as its placeholder or its new connection would answer.
   */
  DeliveryResult write(Delivery delivery);

  /**
   * Holds the socket's flushes until as many {@link #releaseFlushes}: several writes made in one task
   * then leave in one syscall. On {@link #context()} only, with the release in the same task.
   */
  default void holdFlushes() {
  }

  /** Undoes one {@link #holdFlushes}; the last flushes what the writes in between queued. */
  default void releaseFlushes() {
  }

  /** The supervisor's periodic look: pings, idle, token expiry and lifetime; on {@link #context()} only. */
  void tick(long nowMillis);

  /** Closes with {@code code}; what the client had sent is still relayed. Idempotent: the first reason stands. */
  void close(short code, String reason);

  /** What the admin API shows of this socket; answered on the socket's event loop. */
  Future<JsonObject> describe();

  /** Whether this is a suspended session's stand-in, not a socket (no socket to count as open). */
  default boolean standsIn() {
    return false;
  }

  /**
   * Whether this is a session socket whose hello is not answered yet: it may be a resume that takes
   * over one of its user's sockets, so the user's cap counts it once welcomed. Any thread may ask.
   */
  default boolean awaitsWelcome() {
    return false;
  }
}
