package io.wxgateway.common.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * How a process joins the Vert.x cluster (over Hazelcast) that routes deliveries between bridge and
 * gateway nodes, {@code cluster}. With no members, no Kubernetes service and multicast off (the
 * defaults) there is no cluster: the process runs alone, exactly as a single-process deployment.
 * Text settings are empty by default, which means "not set" as each getter says.
 */
@DataObject
@JsonGen(publicConverter = false)
public class ClusterOptions {

  /** Hazelcast cluster name: only members with the same name join each other. */
  public static final String DEFAULT_NAME = "wx-gateway";
  /** Hazelcast member port (TCP), 1..65535. */
  public static final int DEFAULT_PORT = 5701;
  /** The port other members reach this one on; 0: the same as {@code cluster.port}. */
  public static final int DEFAULT_PUBLIC_PORT = 0;
  /** Event-bus port (TCP) for deliveries between nodes; 0 picks a free port. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  /** Seconds without a heartbeat after which a member is declared dead and removed from the cluster; at least 2. */
  public static final int DEFAULT_MEMBER_TIMEOUT_SECONDS = 10;
  /** Seconds between heartbeats; 0: a fifth of the member timeout (at least 1 s). */
  public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 0;
  /**
   * Seconds after start before a member first looks for another cluster with its name to merge with
   * (a side of a healed partition, a node alone after a pause); at least 1. Hazelcast's own default is 300.
   */
  public static final int DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS = 10;
  /** Seconds between later looks for another cluster to merge with (at least 1). Hazelcast's own default is 120. */
  public static final int DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS = 10;
  /**
   * Seconds a bridge-only node keeps a user's presence in its near cache before it reads the owner again;
   * 0: no near cache, every read goes to the member owning the entry. Changes invalidate the cache at once;
   * this bounds how long a lost invalidation (members joining or leaving during a migration) can route a
   * user's pushes by a stale presence. Hazelcast alone repairs one only at its 60 s reconciliation.
   */
  public static final int DEFAULT_PRESENCE_CACHE_SECONDS = 3;

  private List<String> members = new ArrayList<>();
  private String kubernetesService = "";
  private boolean multicast;
  private String name = DEFAULT_NAME;
  private String host = "";
  private int port = DEFAULT_PORT;
  private String publicHost = "";
  private int publicPort = DEFAULT_PUBLIC_PORT;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private int memberTimeoutSeconds = DEFAULT_MEMBER_TIMEOUT_SECONDS;
  private int heartbeatIntervalSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  private int mergeFirstRunDelaySeconds = DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS;
  private int mergeNextRunDelaySeconds = DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS;
  private int presenceCacheSeconds = DEFAULT_PRESENCE_CACHE_SECONDS;
  private Map<String, String> properties = new LinkedHashMap<>();

  public ClusterOptions() {
  }

  /** A copy as it is, checked or not. */
  public ClusterOptions(ClusterOptions other) {
    ClusterOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public ClusterOptions(JsonObject json) {
    ClusterOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ClusterOptionsConverter.toJson(this, json);
    return json;
  }

  /** True when the process must join a cluster: members listed, a Kubernetes service named, or multicast on. */
  @GenIgnore
  public boolean isEnabled() {
    return !members.isEmpty() || !kubernetesService.isBlank() || multicast;
  }

  /**
   * Refuses options that break a rule of {@link OptionsValidator}, naming the setting: among them,
   * more than one way to find members (Hazelcast allows one).
   */
  public ClusterOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  /** How members find each other, for logs. */
  public String joinDescription() {
    if (!kubernetesService.isBlank()) {
      return "Kubernetes DNS lookup of " + kubernetesService;
    }
    if (!members.isEmpty()) {
      return "TCP/IP members " + members;
    }
    return multicast ? "multicast" : "none (not clustered)";
  }

  /** {@code host} or {@code host:port} of members to join over TCP/IP; empty: no TCP/IP join. */
  public List<String> getMembers() {
    return members;
  }

  public ClusterOptions setMembers(List<String> members) {
    List<String> clean = new ArrayList<>();
    if (members != null) {
      for (String m : members) {
        if (m != null && !m.isBlank()) {
          clean.add(m.trim());
        }
      }
    }
    this.members = clean;
    return this;
  }

  /** DNS name of a headless Kubernetes service whose addresses are the members; empty: off. */
  public String getKubernetesService() {
    return kubernetesService;
  }

  public ClusterOptions setKubernetesService(String kubernetesService) {
    this.kubernetesService = Values.trimmed(kubernetesService);
    return this;
  }

  public boolean isMulticast() {
    return multicast;
  }

  public ClusterOptions setMulticast(boolean multicast) {
    this.multicast = multicast;
    return this;
  }

  public String getName() {
    return name;
  }

  public ClusterOptions setName(String name) {
    this.name = Values.trimmed(name);
    return this;
  }

  /** The address this member binds and other members reach it on; empty: chosen by Hazelcast. */
  public String getHost() {
    return host;
  }

  public ClusterOptions setHost(String host) {
    this.host = Values.trimmed(host);
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** The address other members reach this one on when it differs from {@link #getHost()} (NAT); empty: the same. */
  public String getPublicHost() {
    return publicHost;
  }

  public ClusterOptions setPublicHost(String publicHost) {
    this.publicHost = Values.trimmed(publicHost);
    return this;
  }

  /** The Hazelcast port other members reach this one on, with {@link #getPublicHost()} (a port mapping); 0: {@link #getPort()}. */
  public int getPublicPort() {
    return publicPort;
  }

  public ClusterOptions setPublicPort(int publicPort) {
    this.publicPort = publicPort;
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  public int getMemberTimeoutSeconds() {
    return memberTimeoutSeconds;
  }

  public ClusterOptions setMemberTimeoutSeconds(int memberTimeoutSeconds) {
    this.memberTimeoutSeconds = memberTimeoutSeconds;
    return this;
  }

  /** Seconds between heartbeats, as configured (0: derived, see {@link #effectiveHeartbeatIntervalSeconds()}). */
  public int getHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds;
  }

  /** The interval in use: the configured one, or a fifth of the member timeout (at least 1 s). */
  public int effectiveHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds > 0 ? heartbeatIntervalSeconds : Math.max(1, memberTimeoutSeconds / 5);
  }

  public ClusterOptions setHeartbeatIntervalSeconds(int heartbeatIntervalSeconds) {
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    return this;
  }

  public int getMergeFirstRunDelaySeconds() {
    return mergeFirstRunDelaySeconds;
  }

  public ClusterOptions setMergeFirstRunDelaySeconds(int seconds) {
    this.mergeFirstRunDelaySeconds = seconds;
    return this;
  }

  public int getMergeNextRunDelaySeconds() {
    return mergeNextRunDelaySeconds;
  }

  public ClusterOptions setMergeNextRunDelaySeconds(int seconds) {
    this.mergeNextRunDelaySeconds = seconds;
    return this;
  }

  /** See {@link #DEFAULT_PRESENCE_CACHE_SECONDS}. */
  public int getPresenceCacheSeconds() {
    return presenceCacheSeconds;
  }

  public ClusterOptions setPresenceCacheSeconds(int seconds) {
    this.presenceCacheSeconds = seconds;
    return this;
  }

  /** Hazelcast properties ({@code hazelcast.*}), applied last: they win over what the options above set. */
  public Map<String, String> getProperties() {
    return properties;
  }

  public ClusterOptions setProperties(Map<String, String> properties) {
    this.properties = Values.map(properties);
    return this;
  }

  public ClusterOptions putProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }
}
