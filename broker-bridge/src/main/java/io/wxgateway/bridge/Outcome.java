package io.wxgateway.bridge;

import io.wxgateway.common.contract.DeliveryError;

/**
 * What became of one outbound record: delivered, or to be dead-lettered with a reason.
 *
 * @param error null when delivered
 * @param detail human-readable, for the dead letter's {@code ce_deliverydetail}
 */
record Outcome(DeliveryError error, String detail) {

  static final Outcome DELIVERED = new Outcome(null, null);

  static Outcome failed(DeliveryError error, String detail) {
    return new Outcome(error, detail);
  }

  boolean delivered() {
    return error == null;
  }
}
