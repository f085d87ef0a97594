package io.wxgateway.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;

/**
 * A gateway node stood in for on the event bus, speaking the bridge's protocol: a {@link DeliveryBatch}
 * is answered with one result per delivery, in order.
 */
final class StandInNode {

  private StandInNode() {
  }

  /** Answers each delivery with what {@code answer} says. */
  static void register(Vertx vertx, String nodeId, Function<Delivery, DeliveryResult> answer) {
    vertx.eventBus().<Object>consumer(BusAddresses.deliveries(nodeId), msg -> reply(msg, answer)).completion().await();
  }

  /** Never answers: the bridge's request times out. */
  static void silent(Vertx vertx, String nodeId) {
    vertx.eventBus().<Object>consumer(BusAddresses.deliveries(nodeId), msg -> { }).completion().await();
  }

  static List<Delivery> deliveries(Message<Object> msg) {
    return msg.body() instanceof DeliveryBatch batch ? batch.deliveries() : List.of((Delivery) msg.body());
  }

  static void reply(Message<Object> msg, Function<Delivery, DeliveryResult> answer) {
    List<DeliveryResult> results = new ArrayList<>();
    deliveries(msg).forEach(d -> results.add(answer.apply(d)));
    msg.reply(msg.body() instanceof DeliveryBatch ? new DeliveryResults(results) : results.get(0));
  }
}
