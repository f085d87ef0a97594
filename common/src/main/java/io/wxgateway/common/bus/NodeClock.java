package io.wxgateway.common.bus;

import java.security.SecureRandom;

/**
 * Names this JVM's {@link System#nanoTime()} clock: monotonic, unaffected by wall-clock steps, and
 * meaningful only inside this JVM, so a deadline in it is usable only here ({@link DeliveryBatch}).
 */
public final class NodeClock {

  /** Random and never 0; a restarted node has another, so old references to its clock are not used. */
  public static final long ID = newId();

  private NodeClock() {
  }

  private static long newId() {
    long id = 0;
    SecureRandom random = new SecureRandom();
    while (id == 0) {
      id = random.nextLong();
    }
    return id;
  }
}
