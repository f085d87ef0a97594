package io.wxgateway.deploy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The management HTTP port: {@code /health/live} (the process answers), {@code /health/ready}
 * (every role started, Kafka reachable, cluster joined when clustered, not draining), both with a
 * JSON body, {@code /metrics} (Prometheus text format), the {@link AdminApi} under {@code /admin/} and,
 * with {@code demo.page} (which --demo-echo sets), the {@link DemoPage} under {@code /demo}.
 * Kafka is probed every few seconds on a worker thread, never on the event loop.
 */
final class ManagementServer {

  private static final long PROBE_INTERVAL_MS = 5_000;

  private final Vertx vertx;
  private final KafkaOptions kafka;
  private final Admin admin;
  private final PrometheusMeterRegistry meters;
  private final AdminApi adminApi;
  private final Supplier<JsonObject> clusterHealth;
  private HttpServer server;
  private volatile DemoPage demoPage;
  private volatile boolean started;
  private volatile boolean draining;
  private volatile boolean kafkaReachable;
  private volatile String kafkaDetail = "not probed yet";
  private long timer;

  ManagementServer(Vertx vertx, KafkaOptions kafka, PrometheusMeterRegistry meters, String adminToken,
      Supplier<JsonObject> clusterHealth) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.meters = meters;
    this.adminApi = new AdminApi(vertx, adminToken);
    this.clusterHealth = clusterHealth;
    Map<String, Object> config = new HashMap<>(kafka.getProperties());
    config.put("bootstrap.servers", kafka.getBootstrapServers());
    config.put("request.timeout.ms", 3_000);
    config.put("default.api.timeout.ms", 3_000);
    this.admin = Admin.create(config);
  }

  Future<Integer> listen(String host, int port) {
    probeKafka();
    timer = vertx.setPeriodic(PROBE_INTERVAL_MS, t -> probeKafka());
    // HTTP/1.1 only: probes and Prometheus speak it, and a JDK HttpClient's h2c upgrade request was
    // seen left unanswered (the benchmark's /metrics read stalled for minutes).
    server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(this::handle);
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  /** Serves the demo page under /demo (only with demo.page; else /demo is a 404 like any unknown path). */
  void serveDemoPage(DemoPage page) {
    demoPage = page;
  }

  void markStarted() {
    started = true;
  }

  void markDraining() {
    draining = true;
  }

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return (server == null ? Future.<Void>succeededFuture() : server.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          admin.close();
          return null;
        }));
  }

  private void handle(HttpServerRequest req) {
    if (req.path().startsWith("/admin/")) {
      adminApi.handle(req);
      return;
    }
    DemoPage demo = demoPage;
    if (demo != null && demo.handles(req.path())) {
      demo.handle(req);
      return;
    }
    switch (req.path()) {
      case "/health/live" -> respond(req, 200, new JsonObject().put("status", "UP"));
      case "/health/ready" -> ready(req);
      case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
          .end(meters.scrape());
      default -> req.response().setStatusCode(404).end();
    }
  }

  private void ready(HttpServerRequest req) {
    JsonObject cluster = clusterHealth.get();
    boolean clusterJoined = cluster == null || cluster.getBoolean("joined", false);
    boolean ready = started && kafkaReachable && !draining && clusterJoined;
    JsonObject checks = new JsonObject()
        .put("started", started)
        .put("draining", draining)
        .put("kafka", new JsonObject().put("reachable", kafkaReachable).put("detail", kafkaDetail)
            .put("bootstrapServers", kafka.getBootstrapServers()));
    if (cluster != null) {
      checks.put("cluster", cluster);
    }
    JsonObject body = new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checks);
    respond(req, ready ? 200 : 503, body);
  }

  private void probeKafka() {
    vertx.executeBlocking(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(3_000))
        .nodes().get(4, TimeUnit.SECONDS).size(), false)
        .onComplete(ar -> {
          kafkaReachable = ar.succeeded() && ar.result() > 0;
          kafkaDetail = ar.succeeded() ? ar.result() + " broker(s)" : String.valueOf(ar.cause());
        });
  }

  private static void respond(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encodePrettily());
  }
}
