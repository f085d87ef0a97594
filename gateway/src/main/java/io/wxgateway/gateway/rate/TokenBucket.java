package io.wxgateway.gateway.rate;

/**
 * A token bucket: {@code rate} tokens a second, holding at most {@code capacity}. Not thread-safe:
 * a per-socket bucket lives on the socket's event loop; shared ones are locked by their owner.
 */
public final class TokenBucket {

  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.tokens = capacity;
    this.last = nowNanos;
  }

  /** Takes {@code amount} tokens if there are enough. */
  public boolean tryTake(double amount, long nowNanos) {
    refill(nowNanos);
    if (tokens < amount) {
      return false;
    }
    tokens -= amount;
    return true;
  }

  /** Whether the bucket is full again, so its owner may forget it. */
  public boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      last = nowNanos;
    }
  }
}
