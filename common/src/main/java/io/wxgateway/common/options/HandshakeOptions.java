package io.wxgateway.common.options;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What the gateway checks before it upgrades a request, and what it lets through. Lists are empty by default. */
public class HandshakeOptions {

  /** Milliseconds a client has from connecting to completing its upgrade request; slower ones are dropped. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private List<String> subprotocols = new ArrayList<>();
  private boolean requireSubprotocol;
  private List<String> appIds = new ArrayList<>();
  private List<String> origins = new ArrayList<>();
  private List<String> headers = new ArrayList<>();
  private List<String> trustedProxies = new ArrayList<>();
  private int maxSocketsPerNode;
  private int perAddressPerSecond;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;

  public HandshakeOptions() {
  }

  public HandshakeOptions(HandshakeOptions other) {
    this(other.toJson());
  }

  public HandshakeOptions(JsonObject json) {
    subprotocols = list(json, "subprotocols");
    requireSubprotocol = json.getBoolean("requireSubprotocol", false);
    appIds = list(json, "appIds");
    origins = list(json, "origins");
    headers = list(json, "headers");
    trustedProxies = list(json, "trustedProxies");
    maxSocketsPerNode = json.getInteger("maxSocketsPerNode", 0);
    perAddressPerSecond = json.getInteger("perAddressPerSecond", 0);
    timeoutMs = json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS);
    if (maxSocketsPerNode < 0 || perAddressPerSecond < 0 || timeoutMs < 1) {
      throw new IllegalArgumentException("gateway.handshake: maxSocketsPerNode and perAddressPerSecond must be "
          + "0 (unlimited) or more, timeoutMs at least 1");
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("subprotocols", new JsonArray(subprotocols))
        .put("requireSubprotocol", requireSubprotocol).put("appIds", new JsonArray(appIds))
        .put("origins", new JsonArray(origins)).put("headers", new JsonArray(headers))
        .put("trustedProxies", new JsonArray(trustedProxies)).put("maxSocketsPerNode", maxSocketsPerNode)
        .put("perAddressPerSecond", perAddressPerSecond).put("timeoutMs", timeoutMs);
  }

  private static List<String> list(JsonObject json, String key) {
    List<String> out = new ArrayList<>();
    JsonArray array = json.getJsonArray(key, new JsonArray());
    array.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  /** Subprotocols the gateway speaks, in preference order; the first one the client offers is echoed. */
  public List<String> getSubprotocols() {
    return subprotocols;
  }

  public HandshakeOptions setSubprotocols(List<String> subprotocols) {
    this.subprotocols = new ArrayList<>(subprotocols);
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
    this.appIds = new ArrayList<>(appIds);
    return this;
  }

  /** Origins allowed (browsers send one; mini programs usually do not); empty allows any. */
  public List<String> getOrigins() {
    return origins;
  }

  public HandshakeOptions setOrigins(List<String> origins) {
    this.origins = new ArrayList<>(origins);
    return this;
  }

  /** Request headers copied into the open event; Authorization and Cookie never are. */
  public List<String> getHeaders() {
    return headers;
  }

  public HandshakeOptions setHeaders(List<String> headers) {
    this.headers = new ArrayList<>(headers);
    return this;
  }

  /** Proxy addresses or CIDR ranges whose X-Forwarded-For is believed; empty believes nobody. */
  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  public HandshakeOptions setTrustedProxies(List<String> trustedProxies) {
    this.trustedProxies = new ArrayList<>(trustedProxies);
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
