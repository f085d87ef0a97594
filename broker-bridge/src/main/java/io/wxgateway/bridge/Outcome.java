package io.wxgateway.bridge;

import java.util.List;

import io.wxgateway.common.contract.DeliveryError;

/**
 * What became of one outbound record: delivered, or to be dead-lettered with a reason.
 *
 * @param error null when delivered
 * @param detail human-readable, for the dead letter's {@code ce_deliverydetail}
 * @param unreachedNodes for a user's or a broadcast's fan-out, the gateway nodes that did not answer
 *     (the dead letter's {@code ce_unreachednodes}); empty otherwise
 */
record Outcome(DeliveryError error, String detail, List<String> unreachedNodes) {

  static final Outcome DELIVERED = new Outcome(null, null, List.of());

  Outcome {
    unreachedNodes = List.copyOf(unreachedNodes);
  }

  static Outcome failed(DeliveryError error, String detail) {
    return new Outcome(error, detail, List.of());
  }

  /** Node-unreachable for the nodes named, whatever the other nodes of the fan-out reached. */
  static Outcome unreached(List<String> nodes, String detail) {
    return new Outcome(DeliveryError.NODE_UNREACHABLE, detail, nodes);
  }

  boolean delivered() {
    return error == null;
  }
}
