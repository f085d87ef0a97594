package io.wxgateway.deploy;

import java.nio.file.Path;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.ClusterOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.options.OptionsValidator;
import io.wxgateway.kafka.embedded.EmbeddedKafkaOptions;

/**
 * The whole configuration of one process, one section per concern, as read from YAML plus
 * environment overrides by {@link ConfigLoader}. Every section's defaults live in its options class,
 * and its rules in {@link OptionsValidator}, which each section's JSON constructor runs; the rules
 * across sections and of the sections kept here are {@link #validate()}'s.
 */
public final class WxConfig {

  /** Management HTTP port: health, metrics and the admin API. */
  public static final int DEFAULT_MANAGEMENT_PORT = 9090;
  public static final String DEFAULT_MANAGEMENT_HOST = "0.0.0.0";
  /**
   * Whether Vert.x's own HTTP server meters ({@code vertx_http_server_*}) are on. Off by default: Vert.x
   * keeps them per connection for as long as a WebSocket is open (96 B on every idle socket, bench
   * connections, class histogram) and times every upgrade; {@code wx.sockets.open} and the other
   * {@code wx.*} meters count what they would.
   */
  public static final boolean DEFAULT_MANAGEMENT_VERTX_HTTP_METRICS = false;
  /** Milliseconds over which a stopping node closes its sockets (1001), so clients do not reconnect all at once. */
  public static final long DEFAULT_DRAIN_WINDOW_MS = 10_000;
  /** Milliseconds after the first SIGTERM by which the process exits, drained or not. */
  public static final long DEFAULT_DRAIN_DEADLINE_MS = 30_000;

  final KafkaOptions kafka;
  final GatewayOptions gateway;
  final BridgeOptions bridge;
  final ClusterOptions cluster;
  final Roles roles;
  final EmbeddedKafkaOptions embeddedKafka;
  final String managementHost;
  final int managementPort;
  final boolean vertxHttpMetrics;
  final boolean demoEcho;
  /**
   * The demo page on the management port: demo.page (the --demo-echo flag turns it on with the echo
   * backend). Not implied by demo.echo: its record tail consumes all three topics, a cost the
   * benchmark's echo backend and the compose stack's bridge must not pay.
   */
  final boolean demoPage;
  final long drainWindowMs;
  final long drainDeadlineMs;
  /** Bearer token of the admin API; empty refuses the API entirely. */
  final String adminToken;

  WxConfig(JsonObject json) {
    kafka = new KafkaOptions(json.getJsonObject("kafka", new JsonObject()));
    gateway = new GatewayOptions(json.getJsonObject("gateway", new JsonObject()));
    bridge = new BridgeOptions(json.getJsonObject("bridge", new JsonObject()));
    cluster = new ClusterOptions(json.getJsonObject("cluster", new JsonObject()));
    roles = Roles.parse(json.getJsonObject("node", new JsonObject()).getValue("roles"));
    JsonObject embedded = json.getJsonObject("embeddedKafka", new JsonObject());
    embeddedKafka = new EmbeddedKafkaOptions()
        .setDataDir(Path.of(embedded.getString("dataDir", EmbeddedKafkaOptions.DEFAULT_DATA_DIR.toString())))
        .setPort(embedded.getInteger("port", EmbeddedKafkaOptions.DEFAULT_PORT));
    JsonObject management = json.getJsonObject("management", new JsonObject());
    managementHost = management.getString("host", DEFAULT_MANAGEMENT_HOST);
    managementPort = management.getInteger("port", DEFAULT_MANAGEMENT_PORT);
    vertxHttpMetrics = management.getBoolean("vertxHttpMetrics", DEFAULT_MANAGEMENT_VERTX_HTTP_METRICS);
    demoEcho = json.getJsonObject("demo", new JsonObject()).getBoolean("echo", false);
    demoPage = json.getJsonObject("demo", new JsonObject()).getBoolean("page", false);
    JsonObject drain = json.getJsonObject("drain", new JsonObject());
    drainWindowMs = drain.getLong("windowMs", DEFAULT_DRAIN_WINDOW_MS);
    drainDeadlineMs = drain.getLong("deadlineMs", DEFAULT_DRAIN_DEADLINE_MS);
    adminToken = json.getJsonObject("admin", new JsonObject()).getString("token", "");
    validate();
  }

  /** The rules that span sections, and those of the sections without an options class, worded as OptionsValidator's. */
  private void validate() {
    if (cluster.isEnabled() && !kafka.isBootstrapConfigured()) {
      throw new IllegalArgumentException("a cluster needs one Kafka for all its nodes: set kafka.bootstrapServers "
          + "(the embedded broker is for a single development process)");
    }
    OptionsValidator.range("management.port", managementPort, 0, 65535);
    OptionsValidator.range("embeddedKafka.port", embeddedKafka.getPort(), 0, 65535);
    OptionsValidator.atLeast("drain.windowMs", drainWindowMs, 0);
    OptionsValidator.atLeast("drain.deadlineMs", drainDeadlineMs, 1);
  }

  /** Every key with its default: what {@code --help} prints and what environment variables may override. */
  static JsonObject defaults() {
    return new JsonObject()
        .put("kafka", new KafkaOptions().toJson().put("properties", new JsonObject()))
        .put("gateway", new GatewayOptions().toJson())
        .put("bridge", new BridgeOptions().toJson())
        .put("node", new JsonObject().put("roles", Roles.defaults()))
        .put("cluster", new ClusterOptions().toJson())
        .put("embeddedKafka", new JsonObject()
            .put("dataDir", EmbeddedKafkaOptions.DEFAULT_DATA_DIR.toString())
            .put("port", EmbeddedKafkaOptions.DEFAULT_PORT))
        .put("management", new JsonObject().put("host", DEFAULT_MANAGEMENT_HOST).put("port", DEFAULT_MANAGEMENT_PORT)
            .put("vertxHttpMetrics", DEFAULT_MANAGEMENT_VERTX_HTTP_METRICS))
        .put("demo", new JsonObject().put("echo", false).put("page", false))
        .put("drain", new JsonObject().put("windowMs", DEFAULT_DRAIN_WINDOW_MS).put("deadlineMs", DEFAULT_DRAIN_DEADLINE_MS))
        .put("admin", new JsonObject().put("token", ""));
  }
}
