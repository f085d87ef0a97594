package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.wxgateway.common.bus.AdminAnswer;
import io.wxgateway.common.bus.AdminRequest;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.process.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin protocol between two real Hazelcast members on loopback: a request and its answer cross
 * the clustered event bus in their wire form, as between the management port and another gateway node.
 */
class AdminProtocolClusterTest {

  private final List<Vertx> members = new ArrayList<>();

  @AfterEach
  void stop() {
    members.forEach(v -> v.close().await());
  }

  @Test
  void requestsAndAnswersCrossTheClusterIntact() {
    List<Integer> ports = Ports.free(2);
    String cluster = "admin-wire-" + UUID.randomUUID();
    Vertx asking = member(cluster, ports.get(0), ports);
    Vertx answering = member(cluster, ports.get(1), ports);
    JsonObject stats = new JsonObject().put("node", "gw-b").put("sockets", 2).put("users", 1).put("draining", false);
    answering.eventBus().<AdminRequest>consumer(BusAddresses.admin("gw-b"), m -> {
      AdminRequest r = m.body();
      switch (r.op()) {
        case LIST -> m.reply(AdminAnswer.listing(5, List.of(new JsonObject().put("connectionId", "gw-b.x")
            .put("userId", r.userId()).put("appId", r.appId()).put("limit", r.limit()))));
        case CLOSE -> m.reply(AdminAnswer.closed(r.closeCode() == 4100 && "再见".equals(r.closeReason()) ? 2 : 0));
        case STATS -> m.reply(AdminAnswer.stats(stats));
        case GET -> m.fail(404, "no open socket " + r.connectionId());
      }
    }).completion().await();

    AdminAnswer listing = ask(asking, AdminRequest.list("用户", "wx0123456789abcdef", 7));
    assertEquals(5, listing.count());
    assertEquals(new JsonObject().put("connectionId", "gw-b.x").put("userId", "用户").put("appId", "wx0123456789abcdef")
        .put("limit", 7), listing.connections().get(0));
    assertEquals(2, ask(asking, AdminRequest.closeUser("u", 4100, "再见")).count());
    assertEquals(stats.encode(), ask(asking, AdminRequest.stats()).stats().encode());
    ReplyException notFound = assertThrows(ReplyException.class,
        () -> ask(asking, AdminRequest.get("gw-b.nope")));
    assertEquals(404, notFound.failureCode());
  }

  private static AdminAnswer ask(Vertx vertx, AdminRequest request) {
    return vertx.eventBus().<AdminAnswer>request(BusAddresses.admin("gw-b"), request).await().body();
  }

  private Vertx member(String cluster, int port, List<Integer> all) {
    Config hz = new Config().setClusterName(cluster).setInstanceName(cluster + "-" + port);
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.getNetworkConfig().setPort(port).setPortAutoIncrement(false).getInterfaces().setEnabled(true)
        .addInterface("127.0.0.1");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(all.stream().map(p -> "127.0.0.1:" + p).toList());
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    Vertx vertx = Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered()
        .await();
    members.add(vertx);
    BusCodecs.register(vertx);
    return vertx;
  }
}
