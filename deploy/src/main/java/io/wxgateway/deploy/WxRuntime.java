package io.wxgateway.deploy;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.wxgateway.bridge.BridgeNode;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.gateway.GatewayNode;
import io.wxgateway.kafka.embedded.EmbeddedKafkaBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one process runs, started in dependency order and stopped in reverse: the embedded
 * broker (only when no bootstrap servers are configured), the topics, Vert.x (clustered over
 * Hazelcast when {@code cluster} is configured, alone otherwise), the management port, the gateway
 * and the bridge (each only when {@code node.roles} names it), and the demo echo backend (when asked
 * for). {@link #start} and {@link #stop} block: call them from a main or test thread.
 */
public final class WxRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WxRuntime.class);

  private final WxConfig config;
  private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private EmbeddedKafkaBroker embedded;
  private Vertx vertx;
  private ClusterSetup cluster;
  private GatewayNode gateway;
  private BridgeNode bridge;
  private ManagementServer management;
  private int managementPort;

  WxRuntime(WxConfig config) {
    this.config = config;
  }

  public static WxRuntime start(WxConfig config) throws InterruptedException {
    WxRuntime runtime = new WxRuntime(config);
    try {
      runtime.startAll();
    } catch (RuntimeException | InterruptedException e) {
      runtime.stop();
      throw e;
    }
    return runtime;
  }

  private void startAll() throws InterruptedException {
    KafkaOptions kafka = config.kafka;
    if (!kafka.isBootstrapConfigured()) {
      LOG.info("no kafka.bootstrapServers configured: starting the embedded development broker in {}",
          config.embeddedKafka.getDataDir().toAbsolutePath());
      embedded = new EmbeddedKafkaBroker(config.embeddedKafka).start();
      kafka.setBootstrapServers(embedded.bootstrapServers());
    }
    // -1: the broker's default.replication.factor (an external cluster); 1 for the embedded broker.
    TopicBootstrap.ensureTopics(kafka, embedded != null ? (short) 1 : (short) -1);
    if (config.gateway.getNodeId() == null) {
      config.gateway.setNodeId(defaultNodeId());
    }
    bindJvmMetrics();
    VertxOptions vertxOptions = new VertxOptions().setMetricsOptions(vertxMetricsOptions(config.vertxHttpMetrics));
    VertxBuilder builder = Vertx.builder().withMetrics(new MicrometerMetricsFactory(meters));
    if (config.cluster.isEnabled()) {
      cluster = new ClusterSetup(config.cluster, config.gateway.getNodeId()).readsPresenceOnly(!config.roles.gateway());
      vertx = cluster.start(vertxOptions, builder);
    } else {
      vertx = builder.with(vertxOptions).build();
    }
    management = new ManagementServer(vertx, kafka, meters, config.adminToken, this::clusterHealth);
    managementPort = management.listen(config.managementHost, config.managementPort).await();
    LOG.info("node {} runs {}{}", config.gateway.getNodeId(), config.roles,
        cluster == null ? " alone (no cluster configured)" : " in cluster '" + config.cluster.getName() + "'");
    if (config.roles.gateway()) {
      new NodeDirectory(vertx).requireAvailable(config.gateway.getNodeId()).await();
      gateway = new GatewayNode(config.gateway, kafka, meters);
      gateway.deploy(vertx).await();
    }
    if (config.roles.bridge()) {
      bridge = new BridgeNode(config.bridge, kafka, meters);
      if (gateway != null) {
        bridge.localGatewayNodeId(gateway.nodeId());
      }
      bridge.deploy(vertx).await();
    }
    if (config.demoEcho) {
      vertx.deployVerticle(new EchoBackend(kafka)).await();
    }
    if (config.demoPage) {
      startDemoPage(kafka);
    }
    management.markStarted();
  }

  private void startDemoPage(KafkaOptions kafka) {
    RecordTail tail = new RecordTail(RecordTail.DEFAULT_MAX_CONNECTIONS, RecordTail.DEFAULT_RECORDS_PER_CONNECTION);
    try {
      vertx.deployVerticle(new DemoRecords(kafka, config.gateway.getNodeId(), tail)).await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      LOG.warn("the demo page's record tail is not assigned its partitions yet; its first records may be missing");
    }
    management.serveDemoPage(new DemoPage(config.gateway, config.demoEcho, tail));
  }

  /**
   * Vert.x's own meters, with its default labels but {@code method}; its HTTP server meters only when
   * {@code management.vertxHttpMetrics} asks for them. Vert.x keeps an upgrade request's metric for as
   * long as its WebSocket is open, with the connection's: 96 bytes on every idle socket (bench
   * connections, class histogram), and the {@code method} label (always GET on the WebSocket port)
   * 72 more. Nothing the dashboard reads uses them.
   */
  static MicrometerMetricsOptions vertxMetricsOptions(boolean httpServerMeters) {
    Set<Label> labels = EnumSet.copyOf(MicrometerMetricsOptions.DEFAULT_LABELS);
    labels.remove(Label.HTTP_METHOD);
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true).setLabels(labels);
    return httpServerMeters ? options : options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
  }

  private void bindJvmMetrics() {
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new ProcessorMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
  }

  /**
   * Stops everything that started, in reverse order; idempotent. A gateway first drains: readiness
   * turns false, new handshakes get 503, open sockets close with 1001 spread over
   * {@code drain.windowMs}; then the producer flushes (undeploy) and the bridge commits what it
   * delivered. The caller bounds the whole with {@code drain.deadlineMs}.
   */
  public synchronized void stop() {
    if (management != null) {
      management.markDraining();
    }
    if (cluster != null) {
      cluster.announceLeaving(); // first: the others must know before this member is gone
    }
    if (vertx != null) {
      try {
        if (gateway != null) {
          drainGateway();
          gateway.undeploy().await();
        }
        if (bridge != null) {
          bridge.undeploy().await();
        }
        if (management != null) {
          management.close().await();
        }
      } catch (RuntimeException e) {
        LOG.warn("error while stopping: {}", e.toString());
      }
      if (cluster != null) {
        cluster.stop();
      }
      vertx.close().await(); // a clustered Vert.x leaves the cluster here
      vertx = null;
    }
    if (embedded != null) {
      embedded.close();
      embedded = null;
    }
  }

  private void drainGateway() {
    try {
      gateway.drain(config.drainWindowMs).await(config.drainWindowMs + 15_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("{} sockets still open after the drain window; closing them now", gateway.registry().size());
    }
  }

  long drainDeadlineMs() {
    return config.drainDeadlineMs;
  }

  @Override
  public void close() {
    stop();
  }

  public String nodeId() {
    return config.gateway.getNodeId();
  }

  public String bootstrapServers() {
    return config.kafka.getBootstrapServers();
  }

  public int managementPort() {
    return managementPort;
  }

  /** The port the gateway role's WebSocket server is configured on. */
  public int gatewayPort() {
    return config.gateway.getPort();
  }

  /** A copy of the Kafka options this node's roles use: bootstrap servers filled in, topics, client properties. */
  public KafkaOptions kafkaOptions() {
    return new KafkaOptions(config.kafka);
  }

  /** The gateway role, or null when this node does not run it. */
  public GatewayNode gateway() {
    return gateway;
  }

  /** The bridge role, or null when this node does not run it. */
  public BridgeNode bridge() {
    return bridge;
  }

  /** The Vert.x instance (clustered when a cluster is configured). */
  public Vertx vertx() {
    return vertx;
  }

  /** Cluster state for health checks ({@code joined}, member count ...); null when not clustered. */
  public JsonObject clusterHealth() {
    return cluster == null ? null : cluster.health();
  }

  /** The cluster membership, or null when not clustered. */
  ClusterSetup cluster() {
    return cluster;
  }

  boolean embeddedBroker() {
    return embedded != null;
  }

  WxConfig config() {
    return config;
  }

  /** The host name made safe for a node id, plus a short random suffix so two processes never collide. */
  static String defaultNodeId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "wx";
    }
    String safe = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
    safe = safe.length() > 40 ? safe.substring(0, 40) : safe;
    return ConnectionId.requireValidNodeId(safe + "-" + UUID.randomUUID().toString().substring(0, 6));
  }
}
