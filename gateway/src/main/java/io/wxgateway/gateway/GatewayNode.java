package io.wxgateway.gateway;

import java.util.Objects;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.cpu.CpuCoreSensor;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.codec.InboundRecords;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.gateway.admin.AdminEndpoint;
import io.wxgateway.gateway.auth.JwtKeys;
import io.wxgateway.gateway.auth.JwtVerifier;
import io.wxgateway.gateway.cluster.ClusterPresence;
import io.wxgateway.gateway.cluster.ClusterStandby;
import io.wxgateway.gateway.cluster.UserCap;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.connection.Drainer;
import io.wxgateway.gateway.handshake.HandshakeGuard;
import io.wxgateway.gateway.inbound.NodeInFlight;
import io.wxgateway.gateway.metrics.GatewayMetrics;
import io.wxgateway.gateway.resume.SessionManager;
import io.wxgateway.gateway.resume.SessionMeters;
import io.wxgateway.gateway.session.SessionServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway role of one node: its WebSocket verticles (one per event loop by default), the
 * registry of its sockets, its meters, and its entry in the {@link NodeDirectory}. Deploy once per
 * Vert.x instance. This is where the node's parts are built and wired: each gets what it uses,
 * never the node.
 */
public final class GatewayNode {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);

  private final GatewayOptions options;
  private final KafkaOptions kafka;
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private SessionServices sessions;
  private final MeterRegistry meterRegistry;
  private SessionManager sessionManager;
  private final JwtVerifier verifier;
  private Vertx vertx;
  private HandshakeGuard guard;
  private volatile boolean draining;
  private long sweepTimer = -1;
  private ClusterPresence presence;
  private ClusterStandby standby;
  private String deploymentId;

  public GatewayNode(GatewayOptions options, KafkaOptions kafka, MeterRegistry meterRegistry) {
    this.options = new GatewayOptions(options);
    Objects.requireNonNull(this.options.getNodeId(), "gateway.nodeId must be set before deploying");
    this.options.getAuth().validate();
    GatewayMetrics metrics = new GatewayMetrics(meterRegistry, registry);
    this.verifier = this.options.getAuth().isJwt()
        ? new JwtVerifier(this.options.getAuth(), metrics.tokensChecked, metrics.tokensRemembered) : null;
    this.kafka = new KafkaOptions(kafka);
    this.meterRegistry = meterRegistry;
    this.sessions = new SessionServices(this.options, registry, metrics,
        new InboundRecords(kafka.getInboundTopic()), new NodeInFlight(this.options.getMaxInFlightBytesPerNode()));
  }

  /**
   * Checks what the options refer to, reading the key files, as the constructor does: a launcher
   * calls it before it starts anything. Throws an {@link IllegalArgumentException} naming the setting.
   */
  public static void validate(GatewayOptions options) {
    options.getAuth().validate();
    if (options.getAuth().isJwt()) {
      JwtKeys.check(options.getAuth());
    }
  }

  /** Starts listening; completes once every instance listens and the node is in the directory. */
  public Future<Void> deploy(Vertx vertx) {
    this.vertx = vertx;
    this.presence = ClusterPresence.install(vertx, nodeId(), registry);
    this.standby = new ClusterStandby(vertx, nodeId(), registry);
    UserCap userCap = new UserCap(vertx, nodeId(), registry, options.getSocket());
    if (options.getSession().isEnabled()) {
      this.sessionManager = new SessionManager(vertx, options, kafka, registry, new SessionMeters(meterRegistry),
          connectionId -> Optional.ofNullable(registry.get(connectionId)).ifPresent(userCap::enforce));
      this.sessions = sessions.withKeeper(sessionManager);
    }
    this.guard = new HandshakeGuard(options, registry, userCap, verifier, this::isDraining, this::isOutOfCluster);
    this.sweepTimer = vertx.setPeriodic(60_000, t -> guard.sweep());
    GatewayVerticle.Shared shared = new GatewayVerticle.Shared(options, kafka, sessions, guard, userCap,
        new AdminEndpoint(nodeId(), registry, sessions.metrics(), this::isDraining));
    int instances = options.getInstances() > 0 ? options.getInstances() : 2 * CpuCoreSensor.availableProcessors();
    Future<Void> keeper = sessionManager == null ? Future.succeededFuture() : sessionManager.start();
    return keeper.compose(v -> vertx.deployVerticle(() -> new GatewayVerticle(shared),
            new DeploymentOptions().setInstances(instances)))
        .compose(id -> {
          deploymentId = id;
          LOG.info("gateway node {} listens on {}:{}{} ({} event loops)", nodeId(), options.getHost(),
              options.getPort(), options.getPath(), instances);
          return new NodeDirectory(vertx).register(nodeId());
        });
  }

  /** Leaves the directory and stops the verticles; open sockets are closed by Vert.x. */
  public Future<Void> undeploy() {
    if (deploymentId == null) {
      return Future.succeededFuture();
    }
    String id = deploymentId;
    deploymentId = null;
    vertx.cancelTimer(sweepTimer);
    return new NodeDirectory(vertx).unregister(nodeId()).eventually(() -> vertx.undeploy(id))
        .eventually(presence::close).eventually(standby::close)
        .eventually(() -> sessionManager == null ? Future.succeededFuture() : sessionManager.close());
  }

  public String nodeId() {
    return options.getNodeId();
  }

  public ConnectionRegistry registry() {
    return registry;
  }

  /**
   * Refuses new handshakes (503) from now on and closes every open socket with 1001, spread over
   * {@code windowMs}; completes once no socket is left. The caller bounds the wait with its deadline.
   */
  public Future<Void> drain(long windowMs) {
    draining = true;
    LOG.info("draining {} sockets over {} ms", registry.sockets(), windowMs);
    return Drainer.drain(vertx, registry, windowMs);
  }

  public boolean isDraining() {
    return draining;
  }

  /** True while this node's process is out of the cluster: its sockets were shed, handshakes get 503. */
  public boolean isOutOfCluster() {
    return standby != null && standby.isOut();
  }
}
