package io.wxgateway.kafka.embedded;

import java.nio.file.Path;
import java.util.Objects;

/** Options of the {@link EmbeddedKafkaBroker}. */
public class EmbeddedKafkaOptions {

  /** Where the broker keeps its logs and metadata, relative to the working directory. */
  public static final Path DEFAULT_DATA_DIR = Path.of("data", "kafka");
  /** Client port; 0 picks a free port at start. */
  public static final int DEFAULT_PORT = 9092;
  /** KRaft controller port; 0 (the default) picks a free port at start. */
  public static final int DEFAULT_CONTROLLER_PORT = 0;
  /** Partitions of auto-created topics. */
  public static final int DEFAULT_PARTITIONS = 4;

  private Path dataDir = DEFAULT_DATA_DIR;
  private int port = DEFAULT_PORT;
  private int controllerPort = DEFAULT_CONTROLLER_PORT;
  private int defaultPartitions = DEFAULT_PARTITIONS;

  public EmbeddedKafkaOptions() {
  }

  public EmbeddedKafkaOptions(EmbeddedKafkaOptions other) {
    this.dataDir = other.dataDir;
    this.port = other.port;
    this.controllerPort = other.controllerPort;
    this.defaultPartitions = other.defaultPartitions;
  }

  public Path getDataDir() {
    return dataDir;
  }

  public EmbeddedKafkaOptions setDataDir(Path dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    return this;
  }

  public int getPort() {
    return port;
  }

  public EmbeddedKafkaOptions setPort(int port) {
    this.port = requirePort(port);
    return this;
  }

  public int getControllerPort() {
    return controllerPort;
  }

  public EmbeddedKafkaOptions setControllerPort(int controllerPort) {
    this.controllerPort = requirePort(controllerPort);
    return this;
  }

  public int getDefaultPartitions() {
    return defaultPartitions;
  }

  public EmbeddedKafkaOptions setDefaultPartitions(int defaultPartitions) {
    if (defaultPartitions < 1) {
      throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + defaultPartitions);
    }
    this.defaultPartitions = defaultPartitions;
    return this;
  }

  private static int requirePort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    return port;
  }
}
