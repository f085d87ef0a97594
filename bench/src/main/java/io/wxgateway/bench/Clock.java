package io.wxgateway.bench;

/** Monotonic nanoseconds since the bench started: never negative, so they travel as plain digits. */
final class Clock {

  private static final long ORIGIN = System.nanoTime();

  private Clock() {
  }

  static long nanos() {
    return System.nanoTime() - ORIGIN + 1;
  }
}
