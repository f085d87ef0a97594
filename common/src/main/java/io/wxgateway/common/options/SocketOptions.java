package io.wxgateway.common.options;

import java.util.Locale;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/** What the gateway enforces on an open socket, {@code gateway.socket}: liveness, lifetime, rates and the per-user cap. */
@DataObject
@JsonGen(publicConverter = false)
public class SocketOptions {

  /** Milliseconds between server pings; 0 sends none. */
  public static final long DEFAULT_PING_INTERVAL_MS = 25_000;
  /** Milliseconds without any message or pong before the socket closes with 4000; 0 never closes idle sockets. */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  /** Milliseconds a socket may live before it is closed with 1001 (go away); 0 (the default) means forever. */
  public static final long DEFAULT_MAX_LIFETIME_MS = 0;
  /** Fraction (0 to below 1) of the lifetime taken off at random per socket, so reconnects spread out; 0: none. */
  public static final double DEFAULT_LIFETIME_JITTER = 0.2;
  /** Messages per second per socket (bursts of twice that); more closes with 1008. 0 means unlimited. */
  public static final int DEFAULT_MESSAGES_PER_SECOND = 100;
  /** Payload bytes per second per socket (bursts of twice that); more closes with 1008. 0 means unlimited. */
  public static final int DEFAULT_BYTES_PER_SECOND = 1024 * 1024;
  /** Sockets per user on a node; 0 means unlimited. 5 is the mini-program limit. */
  public static final int DEFAULT_MAX_PER_USER = 5;
  /** Bytes waiting to be written to one socket before it counts as too slow (closed with 1008); at least 1. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 1024 * 1024;
  public static final String POLICY_CLOSE_OLDEST = "close-oldest";
  public static final String POLICY_REJECT_NEW = "reject-new";
  /** What a user's socket past {@code maxPerUser} does: close the user's oldest socket, or be refused. */
  public static final String DEFAULT_USER_CAP_POLICY = POLICY_CLOSE_OLDEST;

  private long pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private long maxLifetimeMs = DEFAULT_MAX_LIFETIME_MS;
  private double lifetimeJitter = DEFAULT_LIFETIME_JITTER;
  private int messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
  private int bytesPerSecond = DEFAULT_BYTES_PER_SECOND;
  private int maxPerUser = DEFAULT_MAX_PER_USER;
  private String userCapPolicy = DEFAULT_USER_CAP_POLICY;
  private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;

  public SocketOptions() {
  }

  /** A copy as it is, checked or not. */
  public SocketOptions(SocketOptions other) {
    SocketOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public SocketOptions(JsonObject json) {
    SocketOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SocketOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting. */
  public SocketOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  public long getPingIntervalMs() {
    return pingIntervalMs;
  }

  public SocketOptions setPingIntervalMs(long pingIntervalMs) {
    this.pingIntervalMs = pingIntervalMs;
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  public SocketOptions setIdleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = idleTimeoutMs;
    return this;
  }

  public long getMaxLifetimeMs() {
    return maxLifetimeMs;
  }

  public SocketOptions setMaxLifetimeMs(long maxLifetimeMs) {
    this.maxLifetimeMs = maxLifetimeMs;
    return this;
  }

  public double getLifetimeJitter() {
    return lifetimeJitter;
  }

  public SocketOptions setLifetimeJitter(double lifetimeJitter) {
    this.lifetimeJitter = lifetimeJitter;
    return this;
  }

  public int getMessagesPerSecond() {
    return messagesPerSecond;
  }

  public SocketOptions setMessagesPerSecond(int messagesPerSecond) {
    this.messagesPerSecond = messagesPerSecond;
    return this;
  }

  public int getBytesPerSecond() {
    return bytesPerSecond;
  }

  public SocketOptions setBytesPerSecond(int bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
    return this;
  }

  public int getMaxPerUser() {
    return maxPerUser;
  }

  public SocketOptions setMaxPerUser(int maxPerUser) {
    this.maxPerUser = maxPerUser;
    return this;
  }

  public String getUserCapPolicy() {
    return userCapPolicy;
  }

  public SocketOptions setUserCapPolicy(String userCapPolicy) {
    this.userCapPolicy = Values.text(userCapPolicy).toLowerCase(Locale.ROOT);
    return this;
  }

  public int getMaxOutboundBytes() {
    return maxOutboundBytes;
  }

  public SocketOptions setMaxOutboundBytes(int maxOutboundBytes) {
    this.maxOutboundBytes = maxOutboundBytes;
    return this;
  }
}
