package io.wxgateway.deploy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.options.ClusterOptions;

/**
 * The Hazelcast configuration of a node: Vert.x's base ({@code cluster.xml} on the class path when
 * present, else the one in vertx-hazelcast), this node's network, join and failure detection, then
 * the user's {@code cluster.properties}, which win.
 *
 * <p>The routing maps merge with {@link DiscardMergePolicy}: when two sides of a split merge, the
 * entries of the side that merges in are dropped, and each of its gateway nodes writes its directory
 * entry and its users' presence again from its connection registry ({@link ClusterStanding}). What a
 * side wrote while it was split is never trusted.
 */
final class HazelcastSettings {

  /** Hazelcast member attribute with this node's configured id, for operators reading Hazelcast logs. */
  static final String WX_NODE_ID_ATTRIBUTE = "wx.nodeId";

  private HazelcastSettings() {
  }

  static Config of(ClusterOptions options, String nodeId) {
    options.validate();
    Config config = ConfigUtil.loadConfig();
    if (config == null) {
      config = new Config();
    }
    config.setClusterName(options.getName());
    config.setInstanceName("wx-" + nodeId + "-" + UUID.randomUUID().toString().substring(0, 6));
    config.getMemberAttributeConfig().setAttribute(WX_NODE_ID_ATTRIBUTE, nodeId);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    failureDetection(config, options);
    for (String map : List.of(Presence.MAP_NAME, NodeDirectory.MAP_NAME)) {
      config.getMapConfig(map).getMergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName());
    }
    network(config.getNetworkConfig(), options);
    if (!options.getHost().isEmpty()) {
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    options.getProperties().forEach(config::setProperty);
    return config;
  }

  private static void failureDetection(Config config, ClusterOptions options) {
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(options.getMemberTimeoutSeconds()));
    config.setProperty("hazelcast.heartbeat.interval.seconds",
        Integer.toString(options.effectiveHeartbeatIntervalSeconds()));
    config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(options.getMergeFirstRunDelaySeconds()));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(options.getMergeNextRunDelaySeconds()));
  }

  private static void network(NetworkConfig network, ClusterOptions options) {
    network.setPort(options.getPort()).setPortAutoIncrement(false);
    if (!options.getHost().isEmpty()) {
      network.getInterfaces().setEnabled(true).clear().addInterface(resolve(options.getHost()));
    }
    if (!options.getPublicHost().isEmpty()) {
      int publicPort = options.getPublicPort() > 0 ? options.getPublicPort() : options.getPort();
      network.setPublicAddress(options.getPublicHost() + ":" + publicPort);
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
    if (!options.getMembers().isEmpty()) {
      join.getTcpIpConfig().setEnabled(true).setMembers(withPorts(options.getMembers(), options.getPort()));
    } else if (!options.getKubernetesService().isEmpty()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", options.getKubernetesService())
          .setProperty("service-port", Integer.toString(options.getPort()));
    } else if (options.isMulticast()) {
      join.getMulticastConfig().setEnabled(true);
    }
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

  static String resolve(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host '" + host + "' does not resolve: " + e.getMessage(), e);
    }
  }
}
