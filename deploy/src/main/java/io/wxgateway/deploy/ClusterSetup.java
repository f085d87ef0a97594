package io.wxgateway.deploy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.options.ClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the Vert.x cluster over Hazelcast and keeps the routing maps honest when members come and go.
 *
 * <p>Join: TCP/IP to the configured members, or Kubernetes DNS discovery of a headless service, or
 * (only when asked for) multicast; Hazelcast's other discovery mechanisms stay off. The Hazelcast
 * configuration starts from Vert.x's ({@code cluster.xml} on the class path when present, else the
 * one in vertx-hazelcast), so the event bus's own maps keep their recommended settings.
 *
 * <p>Departures: when a member leaves, gracefully or not, the oldest remaining member removes the
 * gateway node ids that member held from the {@link NodeDirectory} and its tokens from the
 * {@link Presence} map (an entry processor runs on the map's partitions, where the data lives). A
 * periodic sweep catches what a clean-up interrupted by another departure left behind. After a
 * split-brain merge, every member announces {@link ClusterMembers#REJOINED_ADDRESS} locally, so its
 * gateway re-registers and re-adds its users.
 */
final class ClusterSetup {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);

  /** Hazelcast member attribute in which Vert.x keeps its node id (the member id of {@link ClusterMembers}). */
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** Hazelcast member attribute with this node's configured id, for operators reading Hazelcast logs. */
  static final String WX_NODE_ID_ATTRIBUTE = "wx.nodeId";
  static final long SWEEP_INTERVAL_MS = 30_000;

  private final ClusterOptions options;
  private final String nodeId;
  private boolean readsPresenceOnly;
  private HazelcastClusterManager clusterManager;
  private HazelcastInstance hazelcast;
  private Vertx vertx;
  private UUID membershipListener;
  private UUID lifecycleListener;
  private long sweepTimer = -1;
  private volatile boolean joined;

  ClusterSetup(ClusterOptions options, String nodeId) {
    this.options = new ClusterOptions(options);
    this.nodeId = nodeId;
  }

  /** This node only reads the presence map (a bridge without a gateway): cache it ({@link PresenceNearCache}). */
  ClusterSetup readsPresenceOnly(boolean readsOnly) {
    this.readsPresenceOnly = readsOnly;
    return this;
  }

  /** Starts a clustered Vert.x with these options and joins; blocks until joined. */
  Vertx start(VertxOptions vertxOptions, VertxBuilder builder) {
    if (!options.getHost().isEmpty()) {
      vertxOptions.getEventBusOptions().setHost(resolve(options.getHost()));
    }
    if (!options.getPublicHost().isEmpty()) {
      vertxOptions.getEventBusOptions().setClusterPublicHost(options.getPublicHost());
    }
    vertxOptions.getEventBusOptions().setPort(options.getEventBusPort());
    Config hzConfig = hazelcastConfig(options, nodeId);
    clusterManager = new HazelcastClusterManager(readsPresenceOnly ? PresenceNearCache.apply(hzConfig) : hzConfig);
    LOG.info("node {} joining cluster '{}' ({}), Hazelcast port {}", nodeId, options.getName(),
        options.joinDescription(), options.getPort());
    vertx = builder.with(vertxOptions).withClusterManager(clusterManager).buildClustered().await();
    hazelcast = clusterManager.getHazelcastInstance();
    joined = true;
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster member joined: {} (node {}); {} member(s)", event.getMember().getAddress(),
            event.getMember().getAttribute(WX_NODE_ID_ATTRIBUTE), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        Member gone = event.getMember();
        String memberId = gone.getAttribute(VERTX_NODE_ID_ATTRIBUTE);
        LOG.info("cluster member left: {} (node {}); {} member(s)", gone.getAddress(),
            gone.getAttribute(WX_NODE_ID_ATTRIBUTE), event.getMembers().size());
        if (memberId != null && isOldest()) {
          cleanUp(Set.of(memberId));
        }
      }
    });
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(this::lifecycle);
    sweepTimer = vertx.setPeriodic(SWEEP_INTERVAL_MS, t -> sweep());
    LOG.info("node {} joined cluster '{}' as member {} at {}; {} member(s)", nodeId, options.getName(),
        ClusterMembers.localId(vertx), hazelcast.getCluster().getLocalMember().getAddress(),
        hazelcast.getCluster().getMembers().size());
    return vertx;
  }

  private void lifecycle(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGING, SHUTTING_DOWN, SHUTDOWN -> joined = false;
      case MERGED -> {
        joined = true;
        LOG.warn("node {} merged back into cluster '{}' after a split: re-registering its gateway and users",
            nodeId, options.getName());
        vertx.eventBus().publish(ClusterMembers.REJOINED_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
        if (isOldest()) {
          vertx.setTimer(1_000, t -> sweep());
        }
      }
      default -> { }
    }
  }

  /** Cluster state for the readiness probe and logs. */
  JsonObject health() {
    JsonObject json = new JsonObject().put("name", options.getName()).put("joined", isJoined());
    if (isJoined()) {
      json.put("members", hazelcast.getCluster().getMembers().size())
          .put("address", String.valueOf(hazelcast.getCluster().getLocalMember().getAddress()));
    }
    return json;
  }

  boolean isJoined() {
    return joined && hazelcast != null && hazelcast.getLifecycleService().isRunning();
  }

  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** Stops the sweep and the listeners; leaving the cluster is Vert.x's close. */
  void stop() {
    if (vertx != null && sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
    if (hazelcast != null && hazelcast.getLifecycleService().isRunning()) {
      try {
        hazelcast.getCluster().removeMembershipListener(membershipListener);
        hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
      } catch (RuntimeException e) {
        LOG.debug("removing cluster listeners: {}", e.toString());
      }
    }
  }

  private boolean isOldest() {
    try {
      return hazelcast.getLifecycleService().isRunning()
          && hazelcast.getCluster().getMembers().iterator().next().localMember();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** On the oldest member: members still named in the directory but gone from the cluster get cleaned up. */
  private void sweep() {
    if (!isOldest()) {
      return;
    }
    new NodeDirectory(vertx).members().onSuccess(entries -> {
      Set<String> dead = new HashSet<>();
      entries.forEach((gatewayId, memberId) -> {
        if (!ClusterMembers.isLive(vertx, memberId)) {
          dead.add(memberId);
        }
      });
      if (!dead.isEmpty()) {
        cleanUp(dead);
      }
    }).onFailure(e -> LOG.debug("directory sweep failed: {}", e.toString()));
  }

  /** Removes the departed members' tokens from the presence map, then their gateway nodes from the directory. */
  Future<Void> cleanUp(Set<String> deadMembers) {
    return vertx.<Integer>executeBlocking(() -> prunePresence(deadMembers), false)
        .compose(pruned -> new NodeDirectory(vertx).members().compose(entries -> {
          List<Future<Boolean>> removals = new ArrayList<>();
          List<String> gatewayIds = new ArrayList<>();
          entries.forEach((gatewayId, memberId) -> {
            if (deadMembers.contains(memberId)) {
              gatewayIds.add(gatewayId);
              removals.add(new NodeDirectory(vertx).unregister(gatewayId, memberId));
            }
          });
          return Future.all(removals).map(v -> {
            LOG.info("departed member(s) {}: gateway node(s) {} left the directory, {} user(s)' presence pruned",
                deadMembers, gatewayIds, pruned);
            return (Void) null;
          });
        }))
        .onFailure(e -> LOG.warn("clean-up after departed member(s) {} failed: {}; the sweep will retry",
            deadMembers, e.toString()));
  }

  private int prunePresence(Set<String> deadMembers) {
    if (deadMembers.isEmpty()) {
      return 0;
    }
    IMap<String, String> presence = hazelcast.getMap(Presence.MAP_NAME);
    Predicate<String, String> any = null;
    for (String member : deadMembers) {
      Predicate<String, String> match = Predicates.like("this", "%@" + member + "%");
      any = any == null ? match : Predicates.or(any, match);
    }
    Map<String, Boolean> touched = presence.executeOnEntries(new PruneMembers(deadMembers), any);
    return (int) touched.values().stream().filter(Boolean::booleanValue).count();
  }

  /**
   * Removes the tokens of departed members from presence values, deleting entries left empty. Runs
   * on the partition owning each entry (and, the same way, on its backups).
   */
  static final class PruneMembers implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final HashSet<String> deadMembers;

    PruneMembers(Collection<String> deadMembers) {
      this.deadMembers = new HashSet<>(deadMembers);
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      String value = entry.getValue();
      if (value == null) {
        return false;
      }
      String pruned = Presence.withoutMembers(value, deadMembers);
      if (pruned != null && pruned.equals(value)) {
        return false;
      }
      entry.setValue(pruned); // null removes the entry
      return true;
    }
  }

  /** The Hazelcast configuration: Vert.x's base, this node's network and join, then the user's properties. */
  static Config hazelcastConfig(ClusterOptions options, String nodeId) {
    Config config = ConfigUtil.loadConfig();
    if (config == null) {
      config = new Config();
    }
    config.setClusterName(options.getName());
    config.setInstanceName("wx-" + nodeId + "-" + UUID.randomUUID().toString().substring(0, 6));
    config.getMemberAttributeConfig().setAttribute(WX_NODE_ID_ATTRIBUTE, nodeId);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    int timeout = options.getMemberTimeoutSeconds();
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(timeout));
    config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(Math.max(1, timeout / 5)));

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.getPort()).setPortAutoIncrement(false);
    if (!options.getHost().isEmpty()) {
      String ip = resolve(options.getHost());
      network.getInterfaces().setEnabled(true).clear().addInterface(ip);
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    if (!options.getPublicHost().isEmpty()) {
      network.setPublicAddress(options.getPublicHost() + ":" + options.getPort());
    }

    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getGcpConfig().setEnabled(false);
    join.getAzureConfig().setEnabled(false);
    join.getEurekaConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    options.validate();
    if (!options.getMembers().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(withPorts(options.getMembers(), options.getPort()));
    } else if (!options.getKubernetesService().isEmpty()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", options.getKubernetesService())
          .setProperty("service-port", Integer.toString(options.getPort()));
    } else if (options.isMulticast()) {
      join.getMulticastConfig().setEnabled(true);
    }
    options.getProperties().forEach(config::setProperty);
    return config;
  }

  /** {@code host} becomes {@code host:<cluster.port>}; {@code host:port} and IPv6 literals stay. */
  static List<String> withPorts(List<String> members, int port) {
    List<String> out = new ArrayList<>();
    for (String m : members) {
      boolean hasPort = m.startsWith("[") ? m.contains("]:") : m.indexOf(':') > 0 && m.indexOf(':') == m.lastIndexOf(':');
      out.add(hasPort || m.chars().filter(c -> c == ':').count() > 1 ? m : m + ":" + port);
    }
    return out;
  }

  private static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host '" + host + "' does not resolve: " + e.getMessage(), e);
    }
  }
}
