package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.wxgateway.common.options.ClusterOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster} and {@code node} sections: defaults, YAML, environment, and the Hazelcast configuration they make. */
class ClusterConfigTest {

  @TempDir
  Path dir;

  @Test
  void withoutConfigurationTheProcessRunsAloneWithEveryRole() throws Exception {
    WxConfig config = ConfigLoader.load(null, Map.of());
    assertFalse(config.cluster.isEnabled());
    assertEquals(Roles.ALL, config.roles);
    assertEquals("wx-gateway", config.cluster.getName());
    assertEquals(5701, config.cluster.getPort());
    assertFalse(config.cluster.isMulticast());
  }

  @Test
  void theEnvironmentSetsMembersAsACommaSeparatedListAndRolesTheSameWay() throws Exception {
    WxConfig config = ConfigLoader.load(null, Map.of(
        "WXGW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "WXGW_CLUSTER_MEMBERS", "gw-1, gw-2:5801 ,10.0.0.3",
        "WXGW_CLUSTER_PORT", "5801",
        "WXGW_CLUSTER_MEMBER_TIMEOUT_SECONDS", "20",
        "WXGW_NODE_ROLES", "bridge"));
    assertTrue(config.cluster.isEnabled());
    assertEquals(List.of("gw-1", "gw-2:5801", "10.0.0.3"), config.cluster.getMembers());
    assertEquals(new Roles(false, true), config.roles);

    Config hz = HazelcastSettings.of(config.cluster, "br-1");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("gw-1:5801", "gw-2:5801", "10.0.0.3:5801"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled(), "multicast stays off");
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertEquals(5801, hz.getNetworkConfig().getPort());
    assertFalse(hz.getNetworkConfig().isPortAutoIncrement());
    assertEquals("20", hz.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("false", hz.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("br-1", hz.getMemberAttributeConfig().getAttribute(ClusterSetup.WX_NODE_ID_ATTRIBUTE));
  }

  @Test
  void yamlListsAndKubernetesDnsDiscovery() throws Exception {
    Path file = dir.resolve("k8s.yaml");
    Files.writeString(file, """
        kafka:
          bootstrapServers: kafka:9092
        node:
          roles: [gateway]
        cluster:
          kubernetesService: wx-gateway-cluster.wx.svc.cluster.local
          name: prod
          properties:
            hazelcast.operation.call.timeout.millis: 30000
        """);
    WxConfig config = ConfigLoader.load(file, Map.of());
    assertEquals(new Roles(true, false), config.roles);
    Config hz = HazelcastSettings.of(config.cluster, "gw-0");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("wx-gateway-cluster.wx.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertEquals("prod", hz.getClusterName());
    assertEquals("30000", hz.getProperty("hazelcast.operation.call.timeout.millis"), "Hazelcast properties pass through");
  }

  @Test
  void mistakesAreRefusedWithTheKeyToFix() {
    IllegalArgumentException twoWays = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null, Map.of(
        "WXGW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "WXGW_CLUSTER_MEMBERS", "a,b", "WXGW_CLUSTER_KUBERNETES_SERVICE", "svc")));
    assertTrue(twoWays.getMessage().contains("one way"), twoWays.getMessage());

    IllegalArgumentException noKafka = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.load(null, Map.of("WXGW_CLUSTER_MEMBERS", "a,b")));
    assertTrue(noKafka.getMessage().contains("kafka.bootstrapServers"), noKafka.getMessage());

    IllegalArgumentException role = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.load(null, Map.of("WXGW_NODE_ROLES", "gateway,brigde")));
    assertTrue(role.getMessage().contains("brigde"), role.getMessage());

    assertThrows(IllegalArgumentException.class, () -> Roles.parse(""));
  }

  @Test
  void theThreeNodeExampleLoadsAsTwoGatewaysAndABridgeOfOneCluster() throws Exception {
    Map<String, String> env = Map.of("WXGW_GATEWAY_AUTH_SECRET", "an-example-secret-long-enough-for-hs256");
    Path examples = Path.of("examples", "cluster-3-nodes");
    Map<String, Roles> expected = Map.of("gw-1", new Roles(true, false), "gw-2", new Roles(true, false),
        "bridge-1", new Roles(false, true));
    for (Map.Entry<String, Roles> node : expected.entrySet()) {
      WxConfig config = ConfigLoader.load(examples.resolve(node.getKey() + ".yaml"), env);
      assertEquals(node.getValue(), config.roles, node.getKey());
      assertEquals(node.getKey(), config.gateway.getNodeId());
      assertTrue(config.cluster.isEnabled());
      assertEquals(3, config.cluster.getMembers().size());
      Config hz = HazelcastSettings.of(config.cluster, node.getKey());
      assertTrue(hz.getNetworkConfig().getInterfaces().isEnabled(), "bound to cluster.host");
      assertTrue(hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()
          .contains(config.cluster.getHost() + ":5701"), node.getKey() + " lists itself among the members");
    }
  }

  @Test
  void membersWithoutAPortGetTheClusterPort() {
    assertEquals(List.of("a:5701", "b:6000", "10.1.2.3:5701", "[::1]:5701", "fe80::1"),
        HazelcastSettings.withPorts(List.of("a", "b:6000", "10.1.2.3", "[::1]:5701", "fe80::1"), 5701));
    assertTrue(new ClusterOptions().setMulticast(true).isEnabled());
  }

  @Test
  void aNodeThatOnlyReadsPresenceCachesItWithInvalidationsSentAtOnce() {
    Config hz = PresenceNearCache.apply(HazelcastSettings.of(new ClusterOptions(), "br-1"), new ClusterOptions());
    com.hazelcast.config.NearCacheConfig near = hz.getMapConfig(io.wxgateway.common.bus.Presence.MAP_NAME)
        .getNearCacheConfig();
    assertTrue(near != null && near.isInvalidateOnChange(), "cached, and invalidated on every change");
    assertEquals(ClusterOptions.DEFAULT_PRESENCE_CACHE_SECONDS, near.getTimeToLiveSeconds(), "a lost invalidation heals");
    assertEquals("false", hz.getProperty("hazelcast.map.invalidation.batch.enabled"), "not batched for 10 s");
    assertEquals(null, HazelcastSettings.of(new ClusterOptions(), "gw-1")
        .getMapConfig(io.wxgateway.common.bus.Presence.MAP_NAME).getNearCacheConfig(), "gateways read the owner");
    // the owner of an entry (a gateway as often as a bridge) is the member that sends its invalidations
    assertEquals("false", PresenceNearCache.invalidateAtOnce(HazelcastSettings.of(new ClusterOptions(), "gw-1"))
        .getProperty("hazelcast.map.invalidation.batch.enabled"), "a gateway sends them at once too");
  }

  @Test
  void failureDetectionAndMergeDelaysAreSecondsForAGatewayAndTunable() throws Exception {
    Config defaults = HazelcastSettings.of(new ClusterOptions(), "gw-1");
    assertEquals("10", defaults.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("2", defaults.getProperty("hazelcast.heartbeat.interval.seconds"), "a fifth of the timeout");
    assertEquals("10", defaults.getProperty("hazelcast.merge.first.run.delay.seconds"), "not Hazelcast's 300");
    assertEquals("10", defaults.getProperty("hazelcast.merge.next.run.delay.seconds"), "not Hazelcast's 120");
    for (String map : List.of(io.wxgateway.common.bus.Presence.MAP_NAME, io.wxgateway.common.bus.NodeDirectory.MAP_NAME)) {
      assertEquals(com.hazelcast.spi.merge.DiscardMergePolicy.class.getName(),
          defaults.getMapConfig(map).getMergePolicyConfig().getPolicy(), map + ": a merging side's entries are dropped");
    }
    WxConfig config = ConfigLoader.load(null, Map.of(
        "WXGW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
        "WXGW_CLUSTER_MEMBERS", "gw-1",
        "WXGW_CLUSTER_MEMBER_TIMEOUT_SECONDS", "6",
        "WXGW_CLUSTER_HEARTBEAT_INTERVAL_SECONDS", "1",
        "WXGW_CLUSTER_MERGE_FIRST_RUN_DELAY_SECONDS", "3",
        "WXGW_CLUSTER_MERGE_NEXT_RUN_DELAY_SECONDS", "4",
        "WXGW_CLUSTER_PUBLIC_HOST", "203.0.113.5",
        "WXGW_CLUSTER_PUBLIC_PORT", "15701"));
    Config hz = HazelcastSettings.of(config.cluster, "gw-1");
    assertEquals("6", hz.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("1", hz.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("3", hz.getProperty("hazelcast.merge.first.run.delay.seconds"));
    assertEquals("4", hz.getProperty("hazelcast.merge.next.run.delay.seconds"));
    assertEquals("203.0.113.5:15701", hz.getNetworkConfig().getPublicAddress());
  }

  @Test
  void detectionSettingsThatCannotWorkAreRefusedWithTheKeyToFix() {
    Map<String, String> base = Map.of("WXGW_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "WXGW_CLUSTER_MEMBERS", "gw-1");
    Map<String, String> slowHeartbeat = new java.util.HashMap<>(base);
    slowHeartbeat.put("WXGW_CLUSTER_HEARTBEAT_INTERVAL_SECONDS", "10");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null, slowHeartbeat));
    assertTrue(e.getMessage().contains("cluster.heartbeatIntervalSeconds"), e.getMessage());
    Map<String, String> noMerge = new java.util.HashMap<>(base);
    noMerge.put("WXGW_CLUSTER_MERGE_NEXT_RUN_DELAY_SECONDS", "0");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null, noMerge));
    assertTrue(e.getMessage().contains("cluster.mergeNextRunDelaySeconds"), e.getMessage());
    Map<String, String> portWithoutHost = new java.util.HashMap<>(base);
    portWithoutHost.put("WXGW_CLUSTER_PUBLIC_PORT", "15701");
    e = assertThrows(IllegalArgumentException.class, () -> ConfigLoader.load(null, portWithoutHost));
    assertTrue(e.getMessage().contains("cluster.publicPort"), e.getMessage());
  }
}
