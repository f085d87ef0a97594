package io.wxgateway.common.bus;

import io.wxgateway.common.contract.DeliveryError;

/**
 * A gateway node's answer to a {@link Delivery}: how many sockets it reached and, when it reached
 * none that it should have, why.
 *
 * @param delivered sockets written to (or closed)
 * @param error null when the delivery did what it was asked
 * @param detail human-readable detail for the dead letter, or null
 */
public record DeliveryResult(int delivered, DeliveryError error, String detail) {

  public static DeliveryResult delivered(int sockets) {
    return new DeliveryResult(sockets, null, null);
  }

  public static DeliveryResult failed(DeliveryError error, String detail) {
    return new DeliveryResult(0, error, detail);
  }

  public boolean isSuccess() {
    return error == null;
  }
}
