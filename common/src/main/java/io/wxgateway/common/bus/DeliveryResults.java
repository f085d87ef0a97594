package io.wxgateway.common.bus;

import java.util.List;

/**
 * A gateway node's answer to a {@link DeliveryBatch}: one result per delivery, in the same order,
 * and the node's clock when it answered, from which the bridge sets the deadlines of the next batches
 * it sends that node ({@link DeliveryDeadlines}).
 *
 * @param clockId the node's {@link NodeClock#ID}; 0 when unknown
 * @param nodeNanos the node's {@link System#nanoTime()} when it answered
 */
public record DeliveryResults(List<DeliveryResult> results, long clockId, long nodeNanos) {

  public DeliveryResults {
    results = List.copyOf(results);
  }

  public DeliveryResults(List<DeliveryResult> results) {
    this(results, 0, 0);
  }
}
