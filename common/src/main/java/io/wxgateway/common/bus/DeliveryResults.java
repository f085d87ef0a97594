package io.wxgateway.common.bus;

import java.util.List;

/** A gateway node's answer to a {@link DeliveryBatch}: one result per delivery, in the same order. */
public record DeliveryResults(List<DeliveryResult> results) {

  public DeliveryResults {
    results = List.copyOf(results);
  }
}
