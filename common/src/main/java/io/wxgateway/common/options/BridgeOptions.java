package io.wxgateway.common.options;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/** Options of the broker-bridge role, {@code bridge}: the consumer of {@code wx.outbound}. */
@DataObject
@JsonGen(publicConverter = false)
public class BridgeOptions {

  /** Kafka consumer group of every bridge node; must not be empty. */
  public static final String DEFAULT_GROUP_ID = "wx-gateway-bridge";
  /** Milliseconds a gateway node has to answer a delivery before it is dead-lettered as node-unreachable; at least 1. */
  public static final long DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;
  /** Milliseconds one poll waits for records; at least 1. */
  public static final long DEFAULT_POLL_TIMEOUT_MS = 500;
  /**
   * Milliseconds to wait before consuming again after a batch could not be accounted for (dead-letter
   * topic unavailable); at least 1.
   */
  public static final long DEFAULT_RETRY_BACKOFF_MS = 1_000;

  /**
   * Records polled but not yet accounted for (delivered or dead-lettered) past which the bridge stops
   * polling until some are: the bound on what a slow gateway node can make the bridge hold. 1 means
   * one batch at a time (poll, deliver, commit, poll).
   */
  public static final int DEFAULT_MAX_IN_FLIGHT_RECORDS = 2_000;

  /**
   * Milliseconds between two offset commits at most; a commit also waits for the previous one.
   * Every commit is a round trip that the consumer's thread spends not fetching, so committing after
   * every poll adds its latency to every record. Larger: fewer commits, more records delivered again
   * after a bridge crash. 0: commit as soon as records are accounted for.
   */
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

  /**
   * Bytes of recent pushes the bridge keeps in memory, over the partitions it owns, to replay them to
   * resumed sessions (docs/sessions.md): each push counts its payload, headers and a fixed overhead;
   * the oldest go first. 0 disables the history: every replay is answered incomplete.
   */
  public static final long DEFAULT_HISTORY_MAX_BYTES = 64L * 1024 * 1024;
  /**
   * Milliseconds a push stays in the history at most (since it was consumed); also how far back a
   * rebuild reads. At least 1.
   */
  public static final long DEFAULT_HISTORY_MAX_AGE_MS = 300_000;
  /**
   * Whether a bridge, on being assigned a partition (at start, after a rebalance), reads its last
   * {@code historyMaxAgeMs} back from Kafka into the history, so that replays survive a bridge restart.
   */
  public static final boolean DEFAULT_HISTORY_REBUILD = true;
  /**
   * Milliseconds after a held push's session expiry before the bridge dead-letters it
   * {@code session-expired} (a resume racing the expiry still gets it). 0: at the expiry.
   */
  public static final long DEFAULT_HELD_GRACE_MS = 5_000;

  /**
   * Milliseconds a bridge keeps its copy of the gateway-node directory, which broadcasts are sent by,
   * at most: every join or leave is announced and makes the bridge read the directory again, so this
   * bounds only how long an announcement that was lost goes unnoticed. 0: read the directory (a query
   * of every cluster member) for every broadcast record.
   */
  public static final long DEFAULT_DIRECTORY_CACHE_MS = 1_000;

  private String groupId = DEFAULT_GROUP_ID;
  private long historyMaxBytes = DEFAULT_HISTORY_MAX_BYTES;
  private long historyMaxAgeMs = DEFAULT_HISTORY_MAX_AGE_MS;
  private boolean historyRebuild = DEFAULT_HISTORY_REBUILD;
  private long heldGraceMs = DEFAULT_HELD_GRACE_MS;
  private long deliveryTimeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS;
  private long pollTimeoutMs = DEFAULT_POLL_TIMEOUT_MS;
  private long retryBackoffMs = DEFAULT_RETRY_BACKOFF_MS;
  private int maxInFlightRecords = DEFAULT_MAX_IN_FLIGHT_RECORDS;
  private long commitIntervalMs = DEFAULT_COMMIT_INTERVAL_MS;
  private long directoryCacheMs = DEFAULT_DIRECTORY_CACHE_MS;

  public BridgeOptions() {
  }

  /** A copy as it is, checked or not. */
  public BridgeOptions(BridgeOptions other) {
    BridgeOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public BridgeOptions(JsonObject json) {
    BridgeOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    BridgeOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting. */
  public BridgeOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  public String getGroupId() {
    return groupId;
  }

  public BridgeOptions setGroupId(String groupId) {
    this.groupId = Values.text(groupId);
    return this;
  }

  public long getDeliveryTimeoutMs() {
    return deliveryTimeoutMs;
  }

  public BridgeOptions setDeliveryTimeoutMs(long deliveryTimeoutMs) {
    this.deliveryTimeoutMs = deliveryTimeoutMs;
    return this;
  }

  public long getPollTimeoutMs() {
    return pollTimeoutMs;
  }

  public BridgeOptions setPollTimeoutMs(long pollTimeoutMs) {
    this.pollTimeoutMs = pollTimeoutMs;
    return this;
  }

  public long getRetryBackoffMs() {
    return retryBackoffMs;
  }

  public BridgeOptions setRetryBackoffMs(long retryBackoffMs) {
    this.retryBackoffMs = retryBackoffMs;
    return this;
  }

  public int getMaxInFlightRecords() {
    return maxInFlightRecords;
  }

  public BridgeOptions setMaxInFlightRecords(int maxInFlightRecords) {
    this.maxInFlightRecords = maxInFlightRecords;
    return this;
  }

  public long getCommitIntervalMs() {
    return commitIntervalMs;
  }

  public BridgeOptions setCommitIntervalMs(long commitIntervalMs) {
    this.commitIntervalMs = commitIntervalMs;
    return this;
  }

  public long getHistoryMaxBytes() {
    return historyMaxBytes;
  }

  public BridgeOptions setHistoryMaxBytes(long historyMaxBytes) {
    this.historyMaxBytes = historyMaxBytes;
    return this;
  }

  public long getHistoryMaxAgeMs() {
    return historyMaxAgeMs;
  }

  public BridgeOptions setHistoryMaxAgeMs(long historyMaxAgeMs) {
    this.historyMaxAgeMs = historyMaxAgeMs;
    return this;
  }

  public boolean isHistoryRebuild() {
    return historyRebuild;
  }

  public BridgeOptions setHistoryRebuild(boolean historyRebuild) {
    this.historyRebuild = historyRebuild;
    return this;
  }

  public long getHeldGraceMs() {
    return heldGraceMs;
  }

  public BridgeOptions setHeldGraceMs(long heldGraceMs) {
    this.heldGraceMs = heldGraceMs;
    return this;
  }

  public long getDirectoryCacheMs() {
    return directoryCacheMs;
  }

  public BridgeOptions setDirectoryCacheMs(long directoryCacheMs) {
    this.directoryCacheMs = directoryCacheMs;
    return this;
  }
}
