package io.wxgateway.common.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How a process joins the Vert.x cluster (over Hazelcast) that routes deliveries between bridge and
 * gateway nodes. With no members, no Kubernetes service and multicast off (the defaults) there is
 * no cluster: the process runs alone, exactly as a single-process deployment.
 */
public class ClusterOptions {

  /** Hazelcast cluster name: only members with the same name join each other. */
  public static final String DEFAULT_NAME = "wx-gateway";
  /** Hazelcast member port (TCP). */
  public static final int DEFAULT_PORT = 5701;
  /** Event-bus port (TCP) for deliveries between nodes; 0 picks a free port. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  /** Seconds without a heartbeat after which a member is declared dead and removed from the cluster. */
  public static final int DEFAULT_MEMBER_TIMEOUT_SECONDS = 10;
  /** Seconds between heartbeats; 0: a fifth of the member timeout (at least 1 s). */
  public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 0;
  /**
   * Seconds after start before a member first looks for another cluster with its name to merge with
   * (a side of a healed partition, a node alone after a pause). Hazelcast's own default is 300.
   */
  public static final int DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS = 10;
  /** Seconds between later looks for another cluster to merge with. Hazelcast's own default is 120. */
  public static final int DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS = 10;

  private List<String> members = new ArrayList<>();
  private String kubernetesService = "";
  private boolean multicast;
  private String name = DEFAULT_NAME;
  private String host = "";
  private int port = DEFAULT_PORT;
  private String publicHost = "";
  private int publicPort;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private int memberTimeoutSeconds = DEFAULT_MEMBER_TIMEOUT_SECONDS;
  private int heartbeatIntervalSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  private int mergeFirstRunDelaySeconds = DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS;
  private int mergeNextRunDelaySeconds = DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS;
  private Map<String, String> properties = new LinkedHashMap<>();

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    this(other.toJson());
  }

  public ClusterOptions(JsonObject json) {
    setMembers(list(json.getValue("members")));
    setKubernetesService(json.getString("kubernetesService", ""));
    setMulticast(json.getBoolean("multicast", false));
    setName(json.getString("name", DEFAULT_NAME));
    setHost(json.getString("host", ""));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setPublicHost(json.getString("publicHost", ""));
    setPublicPort(json.getInteger("publicPort", 0));
    setEventBusPort(json.getInteger("eventBusPort", DEFAULT_EVENT_BUS_PORT));
    setMemberTimeoutSeconds(json.getInteger("memberTimeoutSeconds", DEFAULT_MEMBER_TIMEOUT_SECONDS));
    setHeartbeatIntervalSeconds(json.getInteger("heartbeatIntervalSeconds", DEFAULT_HEARTBEAT_INTERVAL_SECONDS));
    setMergeFirstRunDelaySeconds(json.getInteger("mergeFirstRunDelaySeconds", DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS));
    setMergeNextRunDelaySeconds(json.getInteger("mergeNextRunDelaySeconds", DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS));
    JsonObject props = json.getJsonObject("properties", new JsonObject());
    props.forEach(e -> properties.put(e.getKey(), String.valueOf(e.getValue())));
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("members", new JsonArray(new ArrayList<>(members)))
        .put("kubernetesService", kubernetesService)
        .put("multicast", multicast)
        .put("name", name)
        .put("host", host)
        .put("port", port)
        .put("publicHost", publicHost)
        .put("publicPort", publicPort)
        .put("eventBusPort", eventBusPort)
        .put("memberTimeoutSeconds", memberTimeoutSeconds)
        .put("heartbeatIntervalSeconds", heartbeatIntervalSeconds)
        .put("mergeFirstRunDelaySeconds", mergeFirstRunDelaySeconds)
        .put("mergeNextRunDelaySeconds", mergeNextRunDelaySeconds)
        .put("properties", new JsonObject(new LinkedHashMap<>(properties)));
  }

  /** True when the process must join a cluster: members listed, a Kubernetes service named, or multicast on. */
  public boolean isEnabled() {
    return !members.isEmpty() || !kubernetesService.isBlank() || multicast;
  }

  /** Fails when more than one way to find members is configured (Hazelcast allows one). */
  public ClusterOptions validate() {
    int ways = (members.isEmpty() ? 0 : 1) + (kubernetesService.isBlank() ? 0 : 1) + (multicast ? 1 : 0);
    if (ways > 1) {
      throw new IllegalArgumentException("choose one way to find cluster members: cluster.members, "
          + "cluster.kubernetesService or cluster.multicast");
    }
    if (publicPort > 0 && publicHost.isEmpty()) {
      throw new IllegalArgumentException("cluster.publicPort needs cluster.publicHost (the address that goes with it)");
    }
    if (heartbeatIntervalSeconds >= memberTimeoutSeconds) {
      throw new IllegalArgumentException("cluster.heartbeatIntervalSeconds (" + heartbeatIntervalSeconds
          + ") must be shorter than cluster.memberTimeoutSeconds (" + memberTimeoutSeconds + ")");
    }
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
    this.kubernetesService = kubernetesService == null ? "" : kubernetesService.trim();
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
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("cluster.name must not be empty");
    }
    this.name = name.trim();
    return this;
  }

  /** The address this member binds and other members reach it on; empty: chosen by Hazelcast. */
  public String getHost() {
    return host;
  }

  public ClusterOptions setHost(String host) {
    this.host = host == null ? "" : host.trim();
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("cluster.port must be 1..65535, was " + port);
    }
    this.port = port;
    return this;
  }

  /** The address other members reach this one on when it differs from {@link #getHost()} (NAT); empty: the same. */
  public String getPublicHost() {
    return publicHost;
  }

  public ClusterOptions setPublicHost(String publicHost) {
    this.publicHost = publicHost == null ? "" : publicHost.trim();
    return this;
  }

  /** The Hazelcast port other members reach this one on, with {@link #getPublicHost()} (a port mapping); 0: {@link #getPort()}. */
  public int getPublicPort() {
    return publicPort;
  }

  public ClusterOptions setPublicPort(int publicPort) {
    if (publicPort < 0 || publicPort > 65535) {
      throw new IllegalArgumentException("cluster.publicPort must be 0 (the same as cluster.port) or 1..65535, was "
          + publicPort);
    }
    this.publicPort = publicPort;
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    if (eventBusPort < 0 || eventBusPort > 65535) {
      throw new IllegalArgumentException("cluster.eventBusPort must be 0..65535, was " + eventBusPort);
    }
    this.eventBusPort = eventBusPort;
    return this;
  }

  public int getMemberTimeoutSeconds() {
    return memberTimeoutSeconds;
  }

  public ClusterOptions setMemberTimeoutSeconds(int memberTimeoutSeconds) {
    if (memberTimeoutSeconds < 2) {
      throw new IllegalArgumentException("cluster.memberTimeoutSeconds must be at least 2, was " + memberTimeoutSeconds);
    }
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
    if (heartbeatIntervalSeconds < 0) {
      throw new IllegalArgumentException("cluster.heartbeatIntervalSeconds must be 0 (a fifth of the member timeout) "
          + "or more, was " + heartbeatIntervalSeconds);
    }
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    return this;
  }

  public int getMergeFirstRunDelaySeconds() {
    return mergeFirstRunDelaySeconds;
  }

  public ClusterOptions setMergeFirstRunDelaySeconds(int seconds) {
    this.mergeFirstRunDelaySeconds = atLeastOne("cluster.mergeFirstRunDelaySeconds", seconds);
    return this;
  }

  public int getMergeNextRunDelaySeconds() {
    return mergeNextRunDelaySeconds;
  }

  public ClusterOptions setMergeNextRunDelaySeconds(int seconds) {
    this.mergeNextRunDelaySeconds = atLeastOne("cluster.mergeNextRunDelaySeconds", seconds);
    return this;
  }

  private static int atLeastOne(String name, int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 (seconds), was " + seconds);
    }
    return seconds;
  }

  /** Hazelcast properties ({@code hazelcast.*}), applied last: they win over what the options above set. */
  public Map<String, String> getProperties() {
    return properties;
  }

  public ClusterOptions putProperty(String key, String value) {
    properties.put(key, value);
    return this;
  }

  /** A list from YAML (a sequence) or from the environment / a scalar (comma-separated). */
  private static List<String> list(Object value) {
    List<?> items = value instanceof JsonArray array ? array.getList()
        : value instanceof List<?> l ? l : value == null ? List.of() : List.of(String.valueOf(value).split(","));
    List<String> out = new ArrayList<>();
    items.stream().filter(v -> v != null).forEach(v -> out.add(String.valueOf(v)));
    return out;
  }
}
