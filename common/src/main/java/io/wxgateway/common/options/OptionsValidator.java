package io.wxgateway.common.options;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import io.wxgateway.common.ConnectionId;

/**
 * Every rule on the options, in one place. The JSON constructors run it (so the launcher refuses a
 * configuration when it loads it), and so does each class's {@code validate()}. Setters never refuse:
 * rules that span settings see the final values, and every message has one form, the setting's
 * configuration path, the rule and the value: {@code gateway.auth.leewaySeconds must be >= 0, got -1}.
 *
 * <p>What needs a file (the JWT keys, the TLS certificates) is checked by the gateway when it reads them.
 */
public final class OptionsValidator {

  private static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  private OptionsValidator() {
  }

  public static void validate(GatewayOptions o) {
    if (o.getNodeId() != null && !ConnectionId.isValidNodeId(o.getNodeId())) {
      fail("gateway.nodeId must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-', got '" + o.getNodeId() + "'");
    }
    range("gateway.port", o.getPort(), 0, 65535);
    if (o.getPath() == null || !o.getPath().startsWith("/")) {
      fail("gateway.path must start with '/', got '" + o.getPath() + "'");
    }
    atLeast("gateway.maxMessageBytes", o.getMaxMessageBytes(), 1);
    atLeast("gateway.maxInFlightPerConnection", o.getMaxInFlightPerConnection(), 1);
    atLeast("gateway.maxInFlightBytesPerNode", o.getMaxInFlightBytesPerNode(), 0);
    atLeast("gateway.instances", o.getInstances(), 0);
    validate(o.getTls());
    validate(o.getAuth());
    validate(o.getHandshake());
    validate(o.getSocket());
    validate(o.getSession());
  }

  public static void validate(TlsOptions o) {
    if (!o.getCertFile().isEmpty() && !o.getKeyStoreFile().isEmpty()) {
      fail("gateway.tls: configure certFile/keyFile or keyStoreFile, not both");
    }
    if (o.getCertFile().isEmpty() != o.getKeyFile().isEmpty()) {
      fail("gateway.tls.certFile and gateway.tls.keyFile go together");
    }
    atLeast("gateway.tls.reloadCheckMs", o.getReloadCheckMs(), 0);
  }

  /** Checks what can be checked without reading a key file. */
  public static void validate(AuthOptions o) {
    oneOf("gateway.auth.mode", o.getMode(), AuthOptions.MODE_ANONYMOUS, AuthOptions.MODE_JWT);
    List<String> algorithms = o.getAlgorithms();
    if (algorithms.isEmpty() || !ALGORITHMS.containsAll(algorithms)) {
      fail("gateway.auth.algorithm must be one or more (comma-separated) of " + ALGORITHMS + ", got " + o.getAlgorithm());
    }
    atLeast("gateway.auth.leewaySeconds", o.getLeewaySeconds(), 0);
    atLeast("gateway.auth.verifiedTokens", o.getVerifiedTokens(), 0);
    if (!o.isJwt()) {
      return;
    }
    String secret = o.getSecret();
    if (secret.isEmpty() && o.getPublicKeyFile().isEmpty() && o.getJwksFile().isEmpty()) {
      fail("gateway.auth.mode jwt needs a secret (HS256), a publicKeyFile or a jwksFile");
    }
    if (!secret.isEmpty() && !algorithms.contains("HS256")) {
      fail("gateway.auth.secret is an HS256 secret but gateway.auth.algorithm is " + o.getAlgorithm()
          + ": add HS256 to gateway.auth.algorithm or remove the secret");
    }
    int secretBytes = secret.getBytes(StandardCharsets.UTF_8).length;
    if (!secret.isEmpty() && secretBytes < AuthOptions.MIN_SECRET_BYTES) {
      fail("gateway.auth.secret must be at least " + AuthOptions.MIN_SECRET_BYTES + " bytes (256 bits) for HS256, got "
          + secretBytes);
    }
  }

  public static void validate(SessionOptions o) {
    atLeast("gateway.session.resumeWindowMs", o.getResumeWindowMs(), 1);
    atLeast("gateway.session.helloTimeoutMs", o.getHelloTimeoutMs(), 1);
    atLeast("gateway.session.heartbeatIntervalMs", o.getHeartbeatIntervalMs(), 0);
    atLeast("gateway.session.checkpointIntervalMs", o.getCheckpointIntervalMs(), 0);
    atLeast("gateway.session.replayTimeoutMs", o.getReplayTimeoutMs(), 1);
    atLeast("gateway.session.maxUnackedPushes", o.getMaxUnackedPushes(), 1);
  }

  public static void validate(HandshakeOptions o) {
    atLeast("gateway.handshake.maxSocketsPerNode", o.getMaxSocketsPerNode(), 0);
    atLeast("gateway.handshake.perAddressPerSecond", o.getPerAddressPerSecond(), 0);
    atLeast("gateway.handshake.timeoutMs", o.getTimeoutMs(), 1);
  }

  public static void validate(SocketOptions o) {
    atLeast("gateway.socket.pingIntervalMs", o.getPingIntervalMs(), 0);
    atLeast("gateway.socket.idleTimeoutMs", o.getIdleTimeoutMs(), 0);
    atLeast("gateway.socket.maxLifetimeMs", o.getMaxLifetimeMs(), 0);
    if (!(o.getLifetimeJitter() >= 0 && o.getLifetimeJitter() < 1)) {
      fail("gateway.socket.lifetimeJitter must be >= 0 and < 1, got " + o.getLifetimeJitter());
    }
    atLeast("gateway.socket.messagesPerSecond", o.getMessagesPerSecond(), 0);
    atLeast("gateway.socket.bytesPerSecond", o.getBytesPerSecond(), 0);
    atLeast("gateway.socket.maxPerUser", o.getMaxPerUser(), 0);
    oneOf("gateway.socket.userCapPolicy", o.getUserCapPolicy(), SocketOptions.POLICY_CLOSE_OLDEST,
        SocketOptions.POLICY_REJECT_NEW);
    atLeast("gateway.socket.maxOutboundBytes", o.getMaxOutboundBytes(), 1);
  }

  public static void validate(KafkaOptions o) {
    notBlank("kafka.inboundTopic", o.getInboundTopic());
    notBlank("kafka.outboundTopic", o.getOutboundTopic());
    notBlank("kafka.deadLetterTopic", o.getDeadLetterTopic());
    notBlank("kafka.receiptsTopic", o.getReceiptsTopic());
    atLeast("kafka.topicPartitions", o.getTopicPartitions(), 1);
  }

  public static void validate(BridgeOptions o) {
    notBlank("bridge.groupId", o.getGroupId());
    atLeast("bridge.deliveryTimeoutMs", o.getDeliveryTimeoutMs(), 1);
    atLeast("bridge.pollTimeoutMs", o.getPollTimeoutMs(), 1);
    atLeast("bridge.retryBackoffMs", o.getRetryBackoffMs(), 1);
    atLeast("bridge.maxInFlightRecords", o.getMaxInFlightRecords(), 1);
    atLeast("bridge.commitIntervalMs", o.getCommitIntervalMs(), 0);
    atLeast("bridge.historyMaxBytes", o.getHistoryMaxBytes(), 0);
    atLeast("bridge.historyMaxAgeMs", o.getHistoryMaxAgeMs(), 1);
    atLeast("bridge.heldGraceMs", o.getHeldGraceMs(), 0);
    atLeast("bridge.directoryCacheMs", o.getDirectoryCacheMs(), 0);
  }

  public static void validate(ClusterOptions o) {
    int ways = (o.getMembers().isEmpty() ? 0 : 1) + (o.getKubernetesService().isBlank() ? 0 : 1)
        + (o.isMulticast() ? 1 : 0);
    if (ways > 1) {
      fail("choose one way to find cluster members: cluster.members, cluster.kubernetesService or cluster.multicast");
    }
    notBlank("cluster.name", o.getName());
    range("cluster.port", o.getPort(), 1, 65535);
    range("cluster.publicPort", o.getPublicPort(), 0, 65535);
    if (o.getPublicPort() > 0 && o.getPublicHost().isEmpty()) {
      fail("cluster.publicPort needs cluster.publicHost (the address that goes with it)");
    }
    range("cluster.eventBusPort", o.getEventBusPort(), 0, 65535);
    atLeast("cluster.memberTimeoutSeconds", o.getMemberTimeoutSeconds(), 2);
    atLeast("cluster.heartbeatIntervalSeconds", o.getHeartbeatIntervalSeconds(), 0);
    if (o.getHeartbeatIntervalSeconds() >= o.getMemberTimeoutSeconds()) {
      fail("cluster.heartbeatIntervalSeconds must be < cluster.memberTimeoutSeconds (" + o.getMemberTimeoutSeconds()
          + "), got " + o.getHeartbeatIntervalSeconds());
    }
    atLeast("cluster.mergeFirstRunDelaySeconds", o.getMergeFirstRunDelaySeconds(), 1);
    atLeast("cluster.mergeNextRunDelaySeconds", o.getMergeNextRunDelaySeconds(), 1);
    atLeast("cluster.presenceCacheSeconds", o.getPresenceCacheSeconds(), 0);
  }

  public static void atLeast(String path, long value, long min) {
    if (value < min) {
      fail(path + " must be >= " + min + ", got " + value);
    }
  }

  public static void range(String path, long value, long min, long max) {
    if (value < min || value > max) {
      fail(path + " must be " + min + ".." + max + ", got " + value);
    }
  }

  private static void notBlank(String path, String value) {
    if (value == null || value.isBlank()) {
      fail(path + " must not be empty");
    }
  }

  private static void oneOf(String path, String value, String... allowed) {
    if (!List.of(allowed).contains(value)) {
      fail(path + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
  }

  private static void fail(String message) {
    throw new IllegalArgumentException(message);
  }
}
