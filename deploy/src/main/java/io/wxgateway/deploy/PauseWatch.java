package io.wxgateway.deploy;

import java.util.function.LongConsumer;

/**
 * Notices that this JVM did not run for a while (a long GC pause, SIGSTOP, a frozen VM): a daemon
 * thread that wakes every {@value #PERIOD_MS} ms and reports a gap longer than the threshold. A node
 * frozen past the member timeout has been removed by the others, but its own Hazelcast member only
 * learns it a moment later; this lets readiness turn false at the wake instead.
 */
final class PauseWatch {

  static final long PERIOD_MS = 200;

  private final Thread thread;
  private volatile boolean running = true;

  /** {@code onPause} gets the length of the gap in ms, on the watch's thread. */
  PauseWatch(String name, long thresholdMs, LongConsumer onPause) {
    thread = new Thread(() -> watch(thresholdMs, onPause), "pause-watch-" + name);
    thread.setDaemon(true);
  }

  PauseWatch start() {
    thread.start();
    return this;
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  private void watch(long thresholdMs, LongConsumer onPause) {
    long last = System.nanoTime();
    while (running) {
      try {
        Thread.sleep(PERIOD_MS); // a clock, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long gapMs = (now - last) / 1_000_000 - PERIOD_MS;
      last = now;
      if (gapMs > thresholdMs) {
        onPause.accept(gapMs);
      }
    }
  }
}
