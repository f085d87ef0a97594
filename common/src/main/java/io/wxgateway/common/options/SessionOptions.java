package io.wxgateway.common.options;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * The resumable session protocol {@code wx.session.v1} (docs/sessions.md), {@code gateway.session}:
 * whether the gateway offers it, how long a lost session waits for its client, and the protocol's clocks.
 */
@DataObject
@JsonGen(publicConverter = false)
public class SessionOptions {

  /** The gateway accepts the subprotocol {@code wx.session.v1}; false: every socket is raw. */
  public static final boolean DEFAULT_ENABLED = true;
  /** Milliseconds a suspended session waits to be resumed before it expires; at least 1. */
  public static final long DEFAULT_RESUME_WINDOW_MS = 120_000;
  /** Milliseconds a session socket has to send its {@code hello}, else it closes with 4400; at least 1. */
  public static final long DEFAULT_HELLO_TIMEOUT_MS = 10_000;
  /** Milliseconds between the gateway's {@code {"t":"hb"}} frames; 0 sends none. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 25_000;
  /** Milliseconds at least between two writes of a session's acknowledged positions to the store; 0: at every ack. */
  public static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;
  /** Milliseconds a resume waits for the bridges' replay answers before it says {@code recovered:false}; at least 1. */
  public static final long DEFAULT_REPLAY_TIMEOUT_MS = 5_000;
  /**
   * Pushes written to a session socket and not yet acknowledged; past it the socket closes with 1008 (the
   * session suspends); at least 1.
   */
  public static final int DEFAULT_MAX_UNACKED_PUSHES = 2_000;

  private boolean enabled = DEFAULT_ENABLED;
  private long resumeWindowMs = DEFAULT_RESUME_WINDOW_MS;
  private long helloTimeoutMs = DEFAULT_HELLO_TIMEOUT_MS;
  private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
  private long checkpointIntervalMs = DEFAULT_CHECKPOINT_INTERVAL_MS;
  private long replayTimeoutMs = DEFAULT_REPLAY_TIMEOUT_MS;
  private int maxUnackedPushes = DEFAULT_MAX_UNACKED_PUSHES;

  public SessionOptions() {
  }

  /** A copy as it is, checked or not. */
  public SessionOptions(SessionOptions other) {
    SessionOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public SessionOptions(JsonObject json) {
    SessionOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SessionOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting. */
  public SessionOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public SessionOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public long getResumeWindowMs() {
    return resumeWindowMs;
  }

  public SessionOptions setResumeWindowMs(long resumeWindowMs) {
    this.resumeWindowMs = resumeWindowMs;
    return this;
  }

  public long getHelloTimeoutMs() {
    return helloTimeoutMs;
  }

  public SessionOptions setHelloTimeoutMs(long helloTimeoutMs) {
    this.helloTimeoutMs = helloTimeoutMs;
    return this;
  }

  public long getHeartbeatIntervalMs() {
    return heartbeatIntervalMs;
  }

  public SessionOptions setHeartbeatIntervalMs(long heartbeatIntervalMs) {
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    return this;
  }

  public long getCheckpointIntervalMs() {
    return checkpointIntervalMs;
  }

  public SessionOptions setCheckpointIntervalMs(long checkpointIntervalMs) {
    this.checkpointIntervalMs = checkpointIntervalMs;
    return this;
  }

  public long getReplayTimeoutMs() {
    return replayTimeoutMs;
  }

  public SessionOptions setReplayTimeoutMs(long replayTimeoutMs) {
    this.replayTimeoutMs = replayTimeoutMs;
    return this;
  }

  public int getMaxUnackedPushes() {
    return maxUnackedPushes;
  }

  public SessionOptions setMaxUnackedPushes(int maxUnackedPushes) {
    this.maxUnackedPushes = maxUnackedPushes;
    return this;
  }
}
