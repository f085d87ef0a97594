package io.wxgateway.common.bus;

import java.util.List;

import io.wxgateway.common.contract.DeliveryError;

/**
 * A gateway node's answer to a {@link Delivery}: how many sockets it reached and, when it reached
 * none that it should have, why; and which suspended sessions hold it for replay (see
 * docs/sessions.md): a held delivery is not dead-lettered unless the sessions expire.
 *
 * @param delivered sockets written to (or closed)
 * @param error null when the delivery did what it was asked (also when it was only held)
 * @param detail human-readable detail for the dead letter, or null
 * @param heldFor ids of the suspended sessions that hold the delivery for replay; empty when none
 * @param heldUntil the latest of those sessions' expiry, epoch milliseconds; 0 when none
 * @param movedTo for a delivery to one connection: the connection id its session has used since it
 *     resumed (the bridge sends the delivery there); null when the connection did not move
 */
public record DeliveryResult(int delivered, DeliveryError error, String detail, List<String> heldFor,
    long heldUntil, String movedTo) {

  private static final DeliveryResult ONE = new DeliveryResult(1, null, null);

  public DeliveryResult {
    heldFor = heldFor == null ? List.of() : List.copyOf(heldFor);
  }

  public DeliveryResult(int delivered, DeliveryError error, String detail, List<String> heldFor, long heldUntil) {
    this(delivered, error, detail, heldFor, heldUntil, null);
  }

  public DeliveryResult(int delivered, DeliveryError error, String detail) {
    this(delivered, error, detail, List.of(), 0);
  }

  public static DeliveryResult delivered(int sockets) {
    return sockets == 1 ? ONE : new DeliveryResult(sockets, null, null);
  }

  public static DeliveryResult failed(DeliveryError error, String detail) {
    return new DeliveryResult(0, error, detail);
  }

  /** Kept for replay by the suspended session {@code sessionId}, which expires at {@code until} (epoch ms). */
  public static DeliveryResult held(String sessionId, long until) {
    return new DeliveryResult(0, null, null, List.of(sessionId), until);
  }

  /**
   * The connection's session resumed on {@code connectionId}, here or on another node. It fails as
   * {@code connection-not-found}, so that a bridge that does not follow moves dead-letters it as before.
   */
  public static DeliveryResult moved(String fromConnectionId, String connectionId) {
    return new DeliveryResult(0, DeliveryError.CONNECTION_NOT_FOUND, "connection " + fromConnectionId
        + " is gone; its session resumed as connection " + connectionId, List.of(), 0, connectionId);
  }

  /** Whether the target connection's session resumed on another connection: see {@link #movedTo}. */
  public boolean isMoved() {
    return movedTo != null;
  }

  public boolean isSuccess() {
    return error == null;
  }

  /** Whether some suspended session holds it. */
  public boolean isHeld() {
    return !heldFor.isEmpty();
  }
}
