package io.wxgateway.common.options;

import java.util.List;
import java.util.Map;

/**
 * One instance of every options class with every setting away from its default and still valid, so a
 * round trip that loses or mixes up a setting shows. {@link OptionsRoundTripTest} fails when a field
 * is added without a value here.
 */
final class OptionsSamples {

  private OptionsSamples() {
  }

  static TlsOptions tls() {
    return new TlsOptions().setCertFile("/etc/wx/cert.pem").setKeyFile("/etc/wx/key.pem")
        .setKeyStoreFile("").setKeyStorePassword("store-secret").setReloadCheckMs(2_500);
  }

  /** The key store half of TLS, the other side of {@link #tls()}'s PEM pair (the two exclude each other). */
  static TlsOptions tlsKeyStore() {
    return new TlsOptions().setKeyStoreFile("/etc/wx/keys.p12").setKeyStorePassword("pw").setReloadCheckMs(0);
  }

  static AuthOptions auth() {
    return new AuthOptions().setMode("jwt").setAlgorithm("HS256,RS256").setSecret("s".repeat(40))
        .setPublicKeyFile("/etc/wx/jwt.pem").setJwksFile("/etc/wx/jwks.json").setUserIdClaim("uid")
        .setTokenQueryParam("access_token").setIssuer("https://issuer").setAudience("wx-app").setLeewaySeconds(5)
        .setVerifiedTokens(250);
  }

  static HandshakeOptions handshake() {
    return new HandshakeOptions().setSubprotocols(List.of("v2.wx", "v1.wx")).setRequireSubprotocol(true)
        .setAppIds(List.of("wxa", "wxb")).setOrigins(List.of("https://a.example")).setHeaders(List.of("X-Trace"))
        .setTrustedProxies(List.of("10.0.0.0/8")).setMaxSocketsPerNode(10_000).setPerAddressPerSecond(20)
        .setTimeoutMs(3_000);
  }

  static SocketOptions socket() {
    return new SocketOptions().setPingIntervalMs(10_000).setIdleTimeoutMs(30_000).setMaxLifetimeMs(3_600_000)
        .setLifetimeJitter(0.5).setMessagesPerSecond(7).setBytesPerSecond(4096).setMaxPerUser(2)
        .setUserCapPolicy(SocketOptions.POLICY_REJECT_NEW).setMaxOutboundBytes(8192);
  }

  static SessionOptions session() {
    return new SessionOptions().setEnabled(false).setResumeWindowMs(30_000).setHelloTimeoutMs(2_000)
        .setHeartbeatIntervalMs(0).setCheckpointIntervalMs(0).setReplayTimeoutMs(900).setMaxUnackedPushes(10);
  }

  static GatewayOptions gateway() {
    return new GatewayOptions().setNodeId("gw-1").setHost("127.0.0.1").setPort(9443).setPath("/socket")
        .setMaxMessageBytes(1024).setMaxInFlightPerConnection(3).setMaxInFlightBytesPerNode(0)
        .setHeartbeatRequest("").setHeartbeatResponse("alive").setInstances(3)
        .setTls(tls()).setAuth(auth()).setHandshake(handshake()).setSocket(socket())
        .setSession(session());
  }

  static KafkaOptions kafka() {
    return new KafkaOptions().setBootstrapServers("k1:9092,k2:9092").setInboundTopic("in").setOutboundTopic("out")
        .setDeadLetterTopic("dead").setReceiptsTopic("receipts").setTopicPartitions(3)
        .setProperties(Map.of("security.protocol", "SASL_SSL")).putProperty("linger.ms", "5");
  }

  static BridgeOptions bridge() {
    return new BridgeOptions().setGroupId("bridges").setDeliveryTimeoutMs(900).setPollTimeoutMs(50)
        .setRetryBackoffMs(70).setMaxInFlightRecords(1).setCommitIntervalMs(0)
        .setHistoryMaxBytes(1024).setHistoryMaxAgeMs(60_000).setHistoryRebuild(false).setHeldGraceMs(0)
        .setDirectoryCacheMs(250);
  }

  static ClusterOptions cluster() {
    return new ClusterOptions().setMembers(List.of("gw-1", "gw-2:5801")).setKubernetesService("").setMulticast(false)
        .setName("prod").setHost("10.0.0.5").setPort(5801).setPublicHost("203.0.113.7").setPublicPort(15801)
        .setEventBusPort(17001).setMemberTimeoutSeconds(30).setHeartbeatIntervalSeconds(3)
        .setMergeFirstRunDelaySeconds(20).setMergeNextRunDelaySeconds(40).setPresenceCacheSeconds(7)
        .setProperties(Map.of("hazelcast.operation.call.timeout.millis", "30000"));
  }

  /** Samples for the settings {@link #cluster()} cannot hold at once with its members (one way to join). */
  static ClusterOptions clusterOnKubernetes() {
    return new ClusterOptions().setKubernetesService("wx.svc.cluster.local");
  }

  static ClusterOptions clusterOnMulticast() {
    return new ClusterOptions().setMulticast(true);
  }
}
