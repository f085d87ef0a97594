package io.wxgateway.bridge;

import java.util.List;

import io.wxgateway.common.contract.DeliveryError;

/**
 * What became of one outbound record: delivered, held for suspended sessions (docs/sessions.md), or
 * to be dead-lettered with a reason.
 *
 * @param error null when delivered or held
 * @param detail human-readable, for the dead letter's {@code ce_deliverydetail}
 * @param unreachedNodes for a user's or a broadcast's fan-out, the gateway nodes that did not answer
 *     (the dead letter's {@code ce_unreachednodes}); empty otherwise
 * @param heldFor the suspended sessions that hold the record for replay; empty when none. With
 *     {@code reached} it is delivered (and kept for those sessions' replay), without it is HELD
 * @param heldUntil the latest expiry of those sessions, epoch milliseconds; 0 when none
 * @param reached whether some socket got the record
 */
record Outcome(DeliveryError error, String detail, List<String> unreachedNodes, List<String> heldFor,
    long heldUntil, boolean reached) {

  static final Outcome DELIVERED = new Outcome(null, null, List.of(), List.of(), 0, true);

  Outcome {
    unreachedNodes = List.copyOf(unreachedNodes);
    heldFor = List.copyOf(heldFor);
  }

  Outcome(DeliveryError error, String detail, List<String> unreachedNodes) {
    this(error, detail, unreachedNodes, List.of(), 0, error == null);
  }

  static Outcome failed(DeliveryError error, String detail) {
    return new Outcome(error, detail, List.of());
  }

  /** Node-unreachable for the nodes named, whatever the other nodes of the fan-out reached. */
  static Outcome unreached(List<String> nodes, String detail) {
    return new Outcome(DeliveryError.NODE_UNREACHABLE, detail, nodes);
  }

  /** Held for {@code sessions} and, when {@code reached}, also delivered to some socket. */
  static Outcome held(List<String> sessions, long until, boolean reached) {
    return new Outcome(null, null, List.of(), sessions, until, reached);
  }

  /** Reached a socket (it may also be held for some session). */
  boolean delivered() {
    return error == null && reached;
  }

  /** HELD: no socket got it, suspended sessions keep it; neither delivered nor dead-lettered yet. */
  boolean held() {
    return error == null && !reached && !heldFor.isEmpty();
  }
}
