package io.wxgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.process.Ports;
import io.wxgateway.deploy.EmbeddedRuntimes;
import io.wxgateway.deploy.WxRuntime;
import io.wxgateway.kafka.embedded.EmbeddedKafkaBroker;
import io.wxgateway.kafka.embedded.EmbeddedKafkaOptions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * What a scenario runs against: a Kafka (an embedded broker the bench starts, or {@code --bootstrap}),
 * one in-process runtime (gateway + bridge + demo echo, as the distribution runs by default) or, with
 * {@code --nodes N --bridges B}, N gateway nodes and B bridge nodes clustered over Hazelcast in this JVM, or an
 * external gateway ({@code --target}); plus the load generator's own Vert.x. Every topic name is unique
 * to the run, so runs never see each other's records.
 */
final class Environment implements AutoCloseable {

  final BenchOptions options;
  final String runId = UUID.randomUUID().toString().substring(0, 8);
  final String bootstrap;
  final KafkaOptions kafka;
  final Vertx clients;
  final List<WxRuntime> runtimes = new ArrayList<>();
  /** ws endpoints of the gateway nodes, in node order. */
  final List<URI> endpoints = new ArrayList<>();
  /** The users' tokens when the runtimes authenticate (fanout by user, storm, resume-storm); null otherwise. */
  final Jwt tokens;
  private EmbeddedKafkaBroker broker;
  private Path brokerDir;
  private ChildServer child;
  private Path childLogs;
  private Vertx echoVertx;
  private DeadLetterWatch deadLetters;
  private boolean deadLettersTried;
  /** The per-stage CPU recording when a runtime runs in this JVM; null otherwise. */
  final StageProfile stages;

  private Environment(BenchOptions options, boolean startRuntime, boolean jwt) throws InterruptedException {
    this.options = options;
    this.tokens = jwt ? Jwt.of(options.string("token-algorithm")) : null;
    String external = options.string("bootstrap");
    if (external.isBlank()) {
      try {
        brokerDir = Files.createTempDirectory("wx-bench-kafka-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Bench.progress(options, "starting an embedded Kafka broker in " + brokerDir);
      broker = new EmbeddedKafkaBroker(new EmbeddedKafkaOptions().setDataDir(brokerDir).setPort(0)
          .setDefaultPartitions(options.integer("partitions"))).start();
      bootstrap = broker.bootstrapServers();
    } else {
      bootstrap = external;
    }
    kafka = new KafkaOptions()
        .setBootstrapServers(bootstrap)
        .setInboundTopic("bench-" + runId + ".inbound")
        .setOutboundTopic("bench-" + runId + ".outbound")
        .setDeadLetterTopic("bench-" + runId + ".undelivered")
        .setTopicPartitions(options.integer("partitions"));
    options.env().forEach((k, v) -> {
      if (k.startsWith("WXGW_KAFKA_PROPERTY_")) {
        kafka.putProperty(k.substring("WXGW_KAFKA_PROPERTY_".length()).toLowerCase().replace('_', '.'), v);
      }
    });
    clients = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.integer("client-threads"))
        .setWorkerPoolSize(4).setBlockedThreadCheckInterval(10_000));
    String target = options.string("target");
    if (!target.isBlank()) {
      endpoints.add(URI.create(target));
    } else if (startRuntime) {
      startRuntimes();
    }
    stages = StageProfile.startIfUseful(options, !runtimes.isEmpty());
  }

  static Environment start(BenchOptions options, boolean startRuntime, boolean jwt) throws InterruptedException {
    return new Environment(options, startRuntime, jwt);
  }

  boolean external() {
    return !options.string("target").isBlank();
  }

  private void startRuntimes() throws InterruptedException {
    int nodes = options.integer("nodes");
    int bridges = options.integer("bridges");
    if (nodes < 1 || nodes > 8) {
      throw new IllegalArgumentException("--nodes must be 1..8");
    }
    if (bridges < 1 || bridges > 4) {
      throw new IllegalArgumentException("--bridges must be 1..4");
    }
    String where = options.string("gateway");
    if (!where.isBlank() && !where.equals("in-process") && !where.equals("child")) {
      throw new IllegalArgumentException("--gateway is in-process or child, not " + where);
    }
    if (where.equals("child")) {
      if (options.crossNode()) {
        throw new IllegalArgumentException("--gateway child runs one node; --nodes and --bridges run in-process");
      }
      startChild();
      return;
    }
    if (!options.crossNode()) {
      Bench.progress(options, "starting the in-process runtime (gateway, bridge, demo echo)");
      WxRuntime rt = EmbeddedRuntimes.start(
          RuntimeSettings.of(this, "bench-gw-1", "gateway,bridge", true, freePort(), null), Map.of());
      add(rt, true);
      return;
    }
    ClusterRuntimes.start(this, nodes, bridges);
  }

  /** The runtime (gateway, bridge, demo echo) in a JVM of its own, from the same jars. */
  private void startChild() {
    try {
      childLogs = Files.createTempDirectory("wx-bench-children-");
      int port = freePort();
      int mport = freePort();
      createTopics(kafka.getInboundTopic(), kafka.getOutboundTopic(), kafka.getDeadLetterTopic());
      Bench.progress(options, "starting the runtime (gateway, bridge, demo echo) in a child JVM, logs in " + childLogs);
      Map<String, String> env = RuntimeSettings.of(this, "bench-gw-1", "gateway,bridge", true, port, mport);
      env.putIfAbsent("WXGW_LOG_LEVEL", "WARN");
      child = ChildServer.gateway(options.string("dist"), options.string("child-heap"), options.string("child-jvm-opts"),
          env, port, mport, childLogs);
      child.awaitReady(java.time.Duration.ofSeconds(120));
      endpoints.add(URI.create("ws://127.0.0.1:" + port + "/ws"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where a baseline's echo backend runs: the runtime's Vert.x in-process (the relay's echo runs
   * there too), else a Vert.x of its own (as the child's or the external gateway's echo has).
   */
  Vertx echoVertx() {
    if (!runtimes.isEmpty()) {
      return echoRuntime().vertx();
    }
    if (echoVertx == null) {
      echoVertx = Vertx.vertx();
    }
    return echoVertx;
  }

  void add(WxRuntime rt, boolean gateway) {
    runtimes.add(rt);
    if (gateway) {
      endpoints.add(URI.create("ws://127.0.0.1:" + rt.gatewayPort() + "/ws"));
    }
  }

  /** Creates topics with the run's partition count (the in-process runtimes create theirs themselves). */
  void createTopics(String... topics) {
    try (Admin admin = Admin.create(adminConfig())) {
      List<NewTopic> list = new ArrayList<>();
      for (String t : topics) {
        list.add(new NewTopic(t, options.integer("partitions"), (short) (broker != null ? 1 : -1)));
      }
      try {
        admin.createTopics(list).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create " + List.of(topics), e.getCause());
        }
      }
      // else the first records can be lost to KAFKA-15591 and the baseline report losses
      io.wxgateway.common.TopicReadiness.await(admin, List.of(topics), java.time.Duration.ofSeconds(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>(kafka.getProperties());
    config.put("bootstrap.servers", bootstrap);
    return config;
  }

  /**
   * The reader of the dead-letter topic of the runtimes the bench started (started on the first call),
   * or null: an external gateway's dead-letter topic is not the run's.
   */
  synchronized DeadLetterWatch deadLetters(KafkaOptions runtimeKafka) {
    if (!deadLettersTried && !external()) {
      deadLettersTried = true;
      deadLetters = DeadLetterWatch.start(options, runtimeKafka, runId);
    }
    return deadLetters;
  }

  /** The child JVM running the runtime ({@code --gateway child}), or null. */
  ChildServer child() {
    return child;
  }

  /** The runtime holding the demo echo (the single node, or the bridge node of a cluster). */
  WxRuntime echoRuntime() {
    return runtimes.get(runtimes.size() - 1);
  }

  @Override
  public void close() {
    if (deadLetters != null) {
      deadLetters.close();
    }
    if (stages != null) {
      stages.close();
    }
    try {
      clients.close().await();
      if (echoVertx != null) {
        echoVertx.close().await();
      }
    } catch (RuntimeException e) {
      // closing anyway
    }
    if (child != null) {
      child.close();
      if (!options.flag("keep-data")) {
        deleteRecursively(childLogs);
      }
    }
    for (int i = runtimes.size() - 1; i >= 0; i--) {
      try {
        runtimes.get(i).stop();
      } catch (RuntimeException e) {
        Bench.progress(options, "stopping a runtime: " + e);
      }
    }
    if (broker != null) {
      broker.close();
      if (!options.flag("keep-data")) {
        deleteRecursively(brokerDir);
      }
    }
  }

  /** A port below the ephemeral range (see {@link Ports}): no outbound socket of the run can take it meanwhile. */
  static int freePort() {
    return Ports.free();
  }

  static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
