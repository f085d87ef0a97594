package io.wxgateway.bridge;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.KafkaOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge role of one node: one consumer of the outbound topic in the configured consumer group.
 * Bridges scale out by running more nodes in the same group; Kafka spreads the partitions.
 */
public final class BridgeNode {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeNode.class);

  private final BridgeOptions options;
  private final KafkaOptions kafka;
  private final BridgeMetrics metrics;
  private final String clientId = UUID.randomUUID().toString().substring(0, 8);
  private volatile String localGatewayNodeId;
  private Vertx vertx;
  private String deploymentId;
  private volatile BridgeStandby standby;

  public BridgeNode(BridgeOptions options, KafkaOptions kafka, MeterRegistry meterRegistry) {
    this.options = new BridgeOptions(options);
    this.kafka = new KafkaOptions(kafka);
    this.metrics = new BridgeMetrics(meterRegistry);
  }

  /** Starts consuming; from now on the bridge stands by while its process is out of the cluster. */
  public Future<Void> deploy(Vertx vertx) {
    this.vertx = vertx;
    return startConsuming().onSuccess(v -> standby = new BridgeStandby(vertx, new BridgeStandby.Consumption() {
      @Override
      public Future<Void> start() {
        return startConsuming();
      }

      @Override
      public Future<Void> stop() {
        return stopConsuming();
      }
    }));
  }

  /** Finishes and commits the batch in hand, then stops consuming. */
  public Future<Void> undeploy() {
    Future<Void> standingDown = standby == null ? Future.succeededFuture() : standby.close();
    standby = null;
    return standingDown.eventually(this::stopConsuming);
  }

  /** True while the process is out of the cluster and the bridge does not consume. */
  public boolean isStandingBy() {
    return standby != null && standby.isOut();
  }

  private Future<Void> startConsuming() {
    return vertx.deployVerticle(new BridgeVerticle(this)).map(id -> {
      deploymentId = id;
      LOG.info("bridge consumes {} in group {}, dead letters to {}", kafka.getOutboundTopic(), options.getGroupId(),
          kafka.getDeadLetterTopic());
      return null;
    });
  }

  private Future<Void> stopConsuming() {
    if (deploymentId == null) {
      return Future.succeededFuture();
    }
    String id = deploymentId;
    deploymentId = null;
    return vertx.undeploy(id);
  }

  /**
   * Tells the bridge which gateway node runs in this same process, so event-bus latency can be
   * told apart for local and remote deliveries. Optional; call before {@link #deploy}.
   */
  public BridgeNode localGatewayNodeId(String nodeId) {
    this.localGatewayNodeId = nodeId;
    return this;
  }

  String localGatewayNodeId() {
    return localGatewayNodeId;
  }

  BridgeOptions options() {
    return options;
  }

  KafkaOptions kafka() {
    return kafka;
  }

  BridgeMetrics metrics() {
    return metrics;
  }

  String clientId() {
    return clientId;
  }
}
