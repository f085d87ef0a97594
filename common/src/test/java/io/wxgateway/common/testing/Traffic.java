package io.wxgateway.common.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Steady client traffic for fault tests: every socket sends {@code m0}, {@code m1}, ... in turn on
 * a thread of its own until {@link #stop()}; a socket the gateway closes drops out, the others go on.
 */
public final class Traffic {

  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final Thread thread;

  private Traffic(List<TestSocket> sockets) {
    thread = new Thread(() -> {
      for (int n = 0; sending.get(); n++) {
        for (TestSocket s : sockets) {
          try {
            s.sendText("m" + n);
          } catch (RuntimeException closed) {
            // this socket was closed under us: the others keep going
          }
        }
      }
    }, "traffic");
  }

  public static Traffic start(List<TestSocket> sockets) {
    Traffic traffic = new Traffic(sockets);
    traffic.thread.start();
    return traffic;
  }

  /** Stops sending and waits (at most 30 s) for the last send to return. */
  public void stop() {
    sending.set(false);
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
