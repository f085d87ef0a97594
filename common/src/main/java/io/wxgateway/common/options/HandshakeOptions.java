package io.wxgateway.common.options;

import java.util.ArrayList;
import java.util.List;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway checks before it upgrades a request, and what it lets through, {@code gateway.handshake}.
 * Lists are empty by default.
 */
@DataObject
@JsonGen(publicConverter = false)
public class HandshakeOptions {

  /** Sockets one node holds at most; more get 503 before the upgrade. 0 (the default) means unlimited. */
  public static final int DEFAULT_MAX_SOCKETS_PER_NODE = 0;
  /** Handshakes per second per client address; more get 429. 0 (the default) means unlimited. */
  public static final int DEFAULT_PER_ADDRESS_PER_SECOND = 0;
  /** Milliseconds a client has from connecting to completing its upgrade request; slower ones are dropped. At least 1. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private List<String> subprotocols = new ArrayList<>();
  private boolean requireSubprotocol;
  private List<String> appIds = new ArrayList<>();
  private List<String> origins = new ArrayList<>();
  private List<String> headers = new ArrayList<>();
  private List<String> trustedProxies = new ArrayList<>();
  private int maxSocketsPerNode = DEFAULT_MAX_SOCKETS_PER_NODE;
  private int perAddressPerSecond = DEFAULT_PER_ADDRESS_PER_SECOND;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;

  public HandshakeOptions() {
  }

  /** A copy as it is, checked or not. */
  public HandshakeOptions(HandshakeOptions other) {
    HandshakeOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public HandshakeOptions(JsonObject json) {
    HandshakeOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    HandshakeOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting. */
  public HandshakeOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  /** Subprotocols the gateway speaks, in preference order; the first one the client offers is echoed. */
  public List<String> getSubprotocols() {
    return subprotocols;
  }

  public HandshakeOptions setSubprotocols(List<String> subprotocols) {
    this.subprotocols = Values.list(subprotocols);
    return this;
  }

  /** Refuse (400) clients that offer no subprotocol. */
  public boolean isRequireSubprotocol() {
    return requireSubprotocol;
  }

  public HandshakeOptions setRequireSubprotocol(boolean requireSubprotocol) {
    this.requireSubprotocol = requireSubprotocol;
    return this;
  }

  /** AppIDs allowed by the Referer; empty allows every client, with or without a Referer. */
  public List<String> getAppIds() {
    return appIds;
  }

  public HandshakeOptions setAppIds(List<String> appIds) {
    this.appIds = Values.list(appIds);
    return this;
  }

  /** Origins allowed (browsers send one; mini programs usually do not); empty allows any. */
  public List<String> getOrigins() {
    return origins;
  }

  public HandshakeOptions setOrigins(List<String> origins) {
    this.origins = Values.list(origins);
    return this;
  }

  /** Request headers copied into the open event; Authorization and Cookie never are. */
  public List<String> getHeaders() {
    return headers;
  }

  public HandshakeOptions setHeaders(List<String> headers) {
    this.headers = Values.list(headers);
    return this;
  }

  /** Proxy addresses or CIDR ranges whose X-Forwarded-For is believed; empty believes nobody. */
  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  public HandshakeOptions setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = Values.list(trustedProxies);
    return this;
  }

  /** Sockets one node holds at most; more get 503 before the upgrade. 0 means unlimited. */
  public int getMaxSocketsPerNode() {
    return maxSocketsPerNode;
  }

  public HandshakeOptions setMaxSocketsPerNode(int maxSocketsPerNode) {
    this.maxSocketsPerNode = maxSocketsPerNode;
    return this;
  }

  /**
   * Handshakes per second one client address may make; more get 429. 0 (the default) means
   * unlimited: many phones share one carrier NAT address, so set it with care.
   */
  public int getPerAddressPerSecond() {
    return perAddressPerSecond;
  }

  public HandshakeOptions setPerAddressPerSecond(int perAddressPerSecond) {
    this.perAddressPerSecond = perAddressPerSecond;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public HandshakeOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }
}
