package io.wxgateway.common.bus;

import java.util.List;

/**
 * The deliveries a bridge sends one gateway node in one event-bus request, in the order it consumed
 * them. The node answers with a {@link DeliveryResults} of the same size and order. One request per
 * node at a time, however many records it carries: the event-bus round trip, its timer and (in a
 * cluster) its TCP write are paid once per batch instead of once per record.
 *
 * @param deliveries never empty
 */
public record DeliveryBatch(List<Delivery> deliveries) {

  public DeliveryBatch {
    deliveries = List.copyOf(deliveries);
  }
}
