package io.wxgateway.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A real, single-node Apache Kafka broker in KRaft mode (broker and controller in one), run inside
 * this JVM. It is the zero-config default of the distribution and the broker of every test.
 *
 * <p>The log directory is formatted on first start only, so data survives restarts when the same
 * directory is reused. Not for production: one node, replication factor 1, no security.
 *
 * <p>{@link #start()} and {@link #close()} block (seconds): call them from a main or test thread,
 * never from an event loop.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private final EmbeddedKafkaOptions options;
  private KafkaRaftServer server;
  private int port;

  public EmbeddedKafkaBroker(EmbeddedKafkaOptions options) {
    this.options = new EmbeddedKafkaOptions(options);
  }

  /** Formats the data directory if it is new, then starts the broker and waits until it listens. */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Path dataDir = Files.createDirectories(options.getDataDir());
      port = options.getPort() == 0 ? freePort() : options.getPort();
      int controllerPort = options.getControllerPort();
      // a port just closed may be handed out again at once: the two listeners must not get the same one
      while (options.getControllerPort() == 0 && (controllerPort == 0 || controllerPort == port)) {
        controllerPort = freePort();
      }
      Properties props = serverProperties(dataDir, port, controllerPort);
      Path logDir = dataDir.resolve("logs");
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        format(dataDir, props);
      }
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Kafka data directory " + options.getDataDir(), e);
    }
  }

  /** {@code host:port} for {@code bootstrap.servers}; valid after {@link #start()}. */
  public String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("the embedded broker is not started");
    }
    return "127.0.0.1:" + port;
  }

  public Path dataDir() {
    return options.getDataDir();
  }

  /** Stops the broker and waits for it; idempotent. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  private Properties serverProperties(Path dataDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", dataDir.resolve("logs").toString());
    p.setProperty("metadata.log.dir", dataDir.resolve("logs").toString());
    p.setProperty("num.partitions", Integer.toString(options.getDefaultPartitions()));
    p.setProperty("auto.create.topics.enable", "true");
    // The OS's socket buffers, auto-tuned, not Kafka's fixed 100 KB: on loopback a burst overflows a
    // fixed receive buffer, the kernel drops the segment and the sender retransmits after 200 ms.
    p.setProperty("socket.receive.buffer.bytes", "-1");
    p.setProperty("socket.send.buffer.bytes", "-1");
    // One node: every internal topic must live with a replication factor of 1.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "4");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // The 128 MiB default makes small heaps fail at start.
    p.setProperty("log.cleaner.dedupe.buffer.size", "16777216");
    p.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
    return p;
  }

  private static void format(Path dataDir, Properties props) throws IOException {
    Path file = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(file)) {
      props.store(out, "written by wx-gateway's embedded broker to format its storage");
    }
    String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    int rc = StorageTool.execute(
        new String[] {"format", "-t", clusterId, "-c", file.toString(), "--standalone"}, quiet);
    if (rc != 0) {
      throw new IllegalStateException("kafka-storage format failed with exit code " + rc + " for " + dataDir);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }


}
