package io.wxgateway.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.wxgateway.common.process.Ports;

import org.apache.kafka.clients.admin.Admin;

/**
 * A real Kafka broker of another version (KRaft, broker and controller in one node) in a child
 * JVM, from a class path of its own: how the interoperability tests run the same suites against a
 * current Kafka 4.x broker while the gateway keeps its own clients. The class path is a directory
 * of jars (module kafka4-broker, {@code target/classpath}). Blocking: call from test threads only.
 */
final class ChildKafkaBroker implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Process process;
  private final String bootstrapServers;

  private ChildKafkaBroker(Process process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /** Formats a fresh log directory under {@code dir}, starts the broker and waits until it answers. */
  static ChildKafkaBroker start(Path classPath, Path dir) {
    try {
      List<Integer> ports = Ports.free(2);
      int port = ports.get(0);
      int controllerPort = ports.get(1);
      Path config = dir.resolve("server.properties");
      Files.writeString(config, serverProperties(dir.resolve("data"), port, controllerPort));
      Path log = dir.resolve("broker.log");
      // "--cluster-id=<id>": a base64url id may start with '-', which the tool would take for an option.
      Process format = run(classPath, log, "kafka.tools.StorageTool", "format", "--cluster-id=" + clusterId(),
          "--config", config.toString());
      if (!format.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IllegalStateException("kafka-storage format failed; its log: " + log);
      }
      Process broker = run(classPath, log, "kafka.Kafka", config.toString());
      ChildKafkaBroker child = new ChildKafkaBroker(broker, "127.0.0.1:" + port);
      child.awaitReady(log);
      System.out.println("[ChildKafkaBroker] " + brokerJar(classPath) + " at " + child.bootstrapServers
          + " (log: " + log + ")");
      return child;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady(Path log) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers,
        "request.timeout.ms", "5000", "default.api.timeout.ms", "5000"))) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get().isEmpty()) {
            return;
          }
        } catch (java.util.concurrent.ExecutionException notYet) {
          // still starting
        }
        if (!process.isAlive() || System.nanoTime() > deadline) {
          close();
          throw new IllegalStateException("the child Kafka broker did not start (exit "
              + (process.isAlive() ? "none" : process.exitValue()) + "); its log: " + log);
        }
        Thread.sleep(200);
      }
    }
  }

  private static String brokerJar(Path classPath) throws IOException {
    try (var jars = Files.list(classPath)) {
      return jars.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("kafka_")).findFirst()
          .orElse("no kafka_*.jar in " + classPath);
    }
  }

  private static Process run(Path classPath, Path log, String mainClass, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-cp", classPath.resolve("*").toString(), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process process = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "child-kafka-kill"));
    return process;
  }

  private static String serverProperties(Path data, int port, int controllerPort) {
    return String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + data,
        // The same settings as the in-process test broker (EmbeddedKafkaBroker), so that the suites
        // compare brokers, not configurations.
        "num.partitions=4",
        "auto.create.topics.enable=true",
        "socket.receive.buffer.bytes=-1",
        "socket.send.buffer.bytes=-1",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=4",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "group.initial.rebalance.delay.ms=0",
        "log.cleaner.dedupe.buffer.size=16777216",
        "");
  }

  /** A KRaft cluster id: 16 random bytes, base64url without padding, as kafka-storage random-uuid prints. */
  private static String clusterId() {
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

}
