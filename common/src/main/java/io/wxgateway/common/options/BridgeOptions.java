package io.wxgateway.common.options;

import io.vertx.core.json.JsonObject;

/** Options of the broker-bridge role: the consumer of {@code wx.outbound}. */
public class BridgeOptions {

  public static final String DEFAULT_GROUP_ID = "wx-gateway-bridge";
  /** Milliseconds a gateway node has to answer a delivery before it is dead-lettered as node-unreachable. */
  public static final long DEFAULT_DELIVERY_TIMEOUT_MS = 5_000;
  /** Milliseconds one poll waits for records. */
  public static final long DEFAULT_POLL_TIMEOUT_MS = 500;
  /** Milliseconds to wait before consuming again after a batch could not be accounted for (dead-letter topic unavailable). */
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

  private String groupId = DEFAULT_GROUP_ID;
  private long deliveryTimeoutMs = DEFAULT_DELIVERY_TIMEOUT_MS;
  private long pollTimeoutMs = DEFAULT_POLL_TIMEOUT_MS;
  private long retryBackoffMs = DEFAULT_RETRY_BACKOFF_MS;
  private int maxInFlightRecords = DEFAULT_MAX_IN_FLIGHT_RECORDS;
  private long commitIntervalMs = DEFAULT_COMMIT_INTERVAL_MS;

  public BridgeOptions() {
  }

  public BridgeOptions(BridgeOptions other) {
    this.groupId = other.groupId;
    this.deliveryTimeoutMs = other.deliveryTimeoutMs;
    this.pollTimeoutMs = other.pollTimeoutMs;
    this.retryBackoffMs = other.retryBackoffMs;
    this.maxInFlightRecords = other.maxInFlightRecords;
    this.commitIntervalMs = other.commitIntervalMs;
  }

  public BridgeOptions(JsonObject json) {
    this();
    setGroupId(json.getString("groupId", DEFAULT_GROUP_ID));
    setDeliveryTimeoutMs(json.getLong("deliveryTimeoutMs", DEFAULT_DELIVERY_TIMEOUT_MS));
    setPollTimeoutMs(json.getLong("pollTimeoutMs", DEFAULT_POLL_TIMEOUT_MS));
    setRetryBackoffMs(json.getLong("retryBackoffMs", DEFAULT_RETRY_BACKOFF_MS));
    setMaxInFlightRecords(json.getInteger("maxInFlightRecords", DEFAULT_MAX_IN_FLIGHT_RECORDS));
    setCommitIntervalMs(json.getLong("commitIntervalMs", DEFAULT_COMMIT_INTERVAL_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("groupId", groupId)
        .put("deliveryTimeoutMs", deliveryTimeoutMs)
        .put("pollTimeoutMs", pollTimeoutMs)
        .put("retryBackoffMs", retryBackoffMs)
        .put("maxInFlightRecords", maxInFlightRecords)
        .put("commitIntervalMs", commitIntervalMs);
  }

  public String getGroupId() {
    return groupId;
  }

  public BridgeOptions setGroupId(String groupId) {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("bridge.groupId must not be empty");
    }
    this.groupId = groupId;
    return this;
  }

  public long getDeliveryTimeoutMs() {
    return deliveryTimeoutMs;
  }

  public BridgeOptions setDeliveryTimeoutMs(long deliveryTimeoutMs) {
    this.deliveryTimeoutMs = positive("bridge.deliveryTimeoutMs", deliveryTimeoutMs);
    return this;
  }

  public long getPollTimeoutMs() {
    return pollTimeoutMs;
  }

  public BridgeOptions setPollTimeoutMs(long pollTimeoutMs) {
    this.pollTimeoutMs = positive("bridge.pollTimeoutMs", pollTimeoutMs);
    return this;
  }

  public long getRetryBackoffMs() {
    return retryBackoffMs;
  }

  public BridgeOptions setRetryBackoffMs(long retryBackoffMs) {
    this.retryBackoffMs = positive("bridge.retryBackoffMs", retryBackoffMs);
    return this;
  }

  public int getMaxInFlightRecords() {
    return maxInFlightRecords;
  }

  public BridgeOptions setMaxInFlightRecords(int maxInFlightRecords) {
    this.maxInFlightRecords = (int) positive("bridge.maxInFlightRecords", maxInFlightRecords);
    return this;
  }

  public long getCommitIntervalMs() {
    return commitIntervalMs;
  }

  public BridgeOptions setCommitIntervalMs(long commitIntervalMs) {
    if (commitIntervalMs < 0) {
      throw new IllegalArgumentException("bridge.commitIntervalMs must not be negative, was " + commitIntervalMs);
    }
    this.commitIntervalMs = commitIntervalMs;
    return this;
  }

  private static long positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }
}
