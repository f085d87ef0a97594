package io.wxgateway.gateway.session;

import java.util.concurrent.ThreadLocalRandom;

import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.gateway.rate.TokenBucket;

/**
 * One socket's clocks and budgets: when it was last heard from, when it was last pinged, when its
 * token expires, when its lifetime ends, and its message and byte rates; and, as the
 * {@link SessionStats} it extends, its counters. Used only on the socket's event loop.
 */
final class SessionLimits extends SessionStats {

  /** What the periodic check asks of the socket. */
  enum Verdict { NOTHING, PING, IDLE, TOKEN_EXPIRED, LIFETIME_ENDED }

  private final SocketOptions options;
  private final long tokenExpiresAt;
  private final long lifetimeEndsAt;
  /**
   * Made at the first message (an idle socket never needs them): a bucket made then, full, is the
   * bucket made at the open and refilled since, so the rates are as strict as before.
   */
  private TokenBucket messages;
  private TokenBucket bytes;
  private long lastHeard;
  private long lastPinged;

  /** The clocks start at the socket's {@link #openedAt}. */
  SessionLimits(SocketOptions options, long tokenExpiresAt) {
    long nowMillis = openedAt;
    this.options = options;
    this.tokenExpiresAt = tokenExpiresAt;
    this.lifetimeEndsAt = options.getMaxLifetimeMs() == 0 ? 0
        : nowMillis + (long) (options.getMaxLifetimeMs()
            * (1 - options.getLifetimeJitter() * ThreadLocalRandom.current().nextDouble()));
    this.lastHeard = nowMillis;
    this.lastPinged = nowMillis;
  }

  /** Any frame from the client, pongs included, counts as a sign of life. */
  void heard(long nowMillis) {
    lastHeard = nowMillis;
  }

  /** Whether a message of {@code size} bytes fits the socket's rates. */
  boolean allows(int size, long nowNanos) {
    int messageRate = options.getMessagesPerSecond();
    int byteRate = options.getBytesPerSecond();
    if (messages == null && messageRate > 0) {
      messages = new TokenBucket(messageRate, 2.0 * messageRate, nowNanos);
    }
    if (bytes == null && byteRate > 0) {
      bytes = new TokenBucket(byteRate, 2.0 * byteRate, nowNanos);
    }
    return (messages == null || messages.tryTake(1, nowNanos)) && (bytes == null || bytes.tryTake(size, nowNanos));
  }

  Verdict check(long nowMillis) {
    if (tokenExpiresAt > 0 && nowMillis >= tokenExpiresAt) {
      return Verdict.TOKEN_EXPIRED;
    }
    if (lifetimeEndsAt > 0 && nowMillis >= lifetimeEndsAt) {
      return Verdict.LIFETIME_ENDED;
    }
    if (options.getIdleTimeoutMs() > 0 && nowMillis - lastHeard >= options.getIdleTimeoutMs()) {
      return Verdict.IDLE;
    }
    if (options.getPingIntervalMs() > 0 && nowMillis - lastPinged >= options.getPingIntervalMs()) {
      lastPinged = nowMillis;
      return Verdict.PING;
    }
    return Verdict.NOTHING;
  }
}
