package io.wxgateway.deploy;

import java.util.UUID;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.options.ClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the Vert.x cluster over Hazelcast and leaves it: the configuration is
 * {@link HazelcastSettings}'s, whether this node is in the cluster (quorum, readiness, what its
 * gateway does when it is not, clean-up after departed members) is {@link ClusterStanding}'s.
 *
 * <p>Join: TCP/IP to the configured members, or Kubernetes DNS discovery of a headless service, or
 * (only when asked for) multicast; Hazelcast's other discovery mechanisms stay off.
 */
final class ClusterSetup {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSetup.class);

  /** Hazelcast member attribute in which Vert.x keeps its node id (the member id of {@link ClusterMembers}). */
  static final String VERTX_NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** Hazelcast member attribute with this node's configured id. */
  static final String WX_NODE_ID_ATTRIBUTE = HazelcastSettings.WX_NODE_ID_ATTRIBUTE;

  private final ClusterOptions options;
  private final String nodeId;
  private boolean readsPresenceOnly;
  private HazelcastInstance hazelcast;
  private ClusterStanding standing;
  private UUID membershipListener;
  private UUID lifecycleListener;

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
      vertxOptions.getEventBusOptions().setHost(HazelcastSettings.resolve(options.getHost()));
    }
    if (!options.getPublicHost().isEmpty()) {
      vertxOptions.getEventBusOptions().setClusterPublicHost(options.getPublicHost());
    }
    vertxOptions.getEventBusOptions().setPort(options.getEventBusPort());
    HazelcastCallbacks.install();
    // every node: the owner of a presence entry, a gateway's as often as not, sends the invalidations
    Config hzConfig = PresenceNearCache.invalidateAtOnce(HazelcastSettings.of(options, nodeId));
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(
        readsPresenceOnly ? PresenceNearCache.apply(hzConfig, options) : hzConfig);
    LOG.info("node {} joining cluster '{}' ({}), Hazelcast port {}", nodeId, options.getName(),
        options.joinDescription(), options.getPort());
    Vertx vertx = builder.with(vertxOptions).withClusterManager(clusterManager).buildClustered().await();
    hazelcast = clusterManager.getHazelcastInstance();
    standing = new ClusterStanding(vertx, hazelcast, nodeId, !readsPresenceOnly,
        options.getMemberTimeoutSeconds() * 1_000L, options.effectiveHeartbeatIntervalSeconds() * 1_000L);
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster member joined: {} (node {}); {} member(s)", event.getMember().getAddress(),
            event.getMember().getAttribute(WX_NODE_ID_ATTRIBUTE), event.getMembers().size());
        standing.membershipChanged();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.info("cluster member left: {} (node {}); {} member(s)", event.getMember().getAddress(),
            event.getMember().getAttribute(WX_NODE_ID_ATTRIBUTE), event.getMembers().size());
        standing.membershipChanged();
      }
    });
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(standing::lifecycle);
    standing.start();
    LOG.info("node {} joined cluster '{}' as member {} at {}; {} member(s)", nodeId, options.getName(),
        ClusterMembers.localId(vertx), hazelcast.getCluster().getLocalMember().getAddress(),
        hazelcast.getCluster().getMembers().size());
    return vertx;
  }

  /** Cluster state for the readiness probe and logs. */
  JsonObject health() {
    JsonObject json = new JsonObject().put("name", options.getName());
    if (standing == null) {
      return json.put("joined", false);
    }
    json.mergeIn(standing.health());
    if (isJoined()) {
      json.put("address", String.valueOf(hazelcast.getCluster().getLocalMember().getAddress()));
    }
    return json;
  }

  boolean isJoined() {
    return standing != null && standing.isJoined();
  }

  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** Tells the other members that this node stops on purpose, so its departure costs nobody the quorum. Blocks. */
  void announceLeaving() {
    if (standing != null && hazelcast.getLifecycleService().isRunning()) {
      standing.announceLeaving();
    }
  }

  /** Stops the timer and the listeners; leaving the cluster is Vert.x's close. */
  void stop() {
    if (standing != null) {
      standing.stop();
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
}
