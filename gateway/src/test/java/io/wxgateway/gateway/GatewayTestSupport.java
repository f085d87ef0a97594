package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.process.Ports;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.connection.Connection;
import org.awaitility.Awaitility;

/** A gateway node on a free port against the test broker, with topics of its own. */
final class GatewayTestSupport implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final String inbound = KafkaTestBroker.uniqueTopic("wx.inbound");
  final String receipts = KafkaTestBroker.uniqueTopic("wx.receipts");
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final int port = Ports.free();
  final GatewayNode node;

  GatewayTestSupport(GatewayOptions options) {
    KafkaTestBroker.createTopics(2, inbound, receipts);
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setInboundTopic(inbound).setReceiptsTopic(receipts);
    node = new GatewayNode(new GatewayOptions(options).setNodeId("gw-test").setPort(port).setHost("127.0.0.1"),
        kafka, meters);
    node.deploy(vertx).await();
  }

  GatewayTestSupport() {
    this(new GatewayOptions().setInstances(2));
  }

  /**
   * Opens sockets (added to {@code sockets}, for the caller to close) until two of them are on
   * different event loops of the node, and returns those two.
   */
  Connection[] connectionsOnTwoLoops(List<TestSocket> sockets) {
    for (int i = 0; i < 8; i++) {
      sockets.add(TestSocket.connect(vertx, port, "/ws"));
      int open = sockets.size();
      Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> node.registry().size() == open);
      List<Connection> all = new ArrayList<>(node.registry().all());
      for (Connection other : all) {
        if (other.context() != all.get(0).context()) {
          return new Connection[] {all.get(0), other};
        }
      }
    }
    throw new AssertionError("every socket landed on one event loop");
  }

  /** Blocks {@code loop}, as a long GC pause would, until the latch is counted down or {@code atMost} passed. */
  static CountDownLatch stall(Context loop, Duration atMost) {
    CountDownLatch release = new CountDownLatch(1);
    loop.runOnContext(v -> {
      try {
        release.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return release;
  }

  double counter(String name, String... tags) {
    var c = meters.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /** A socket opened before an attack still answers its heartbeat and relays a message to Kafka. */
  void assertServed(TestSocket bystander) {
    bystander.sendText("ping");
    assertEquals("pong", bystander.next().asText(), "the bystander's heartbeat");
    bystander.sendText("served after the attack");
    KafkaTestBroker.awaitRecords(inbound, r -> "wx.socket.message".equals(header(r, "ce_type"))
        && "served after the attack".equals(text(r)), 1, Duration.ofSeconds(20));
    assertFalse(bystander.isClosed(), "the bystander is still open");
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
