package io.wxgateway.gateway;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Used heap after a few full collections, for "memory returns to its level" checks. An in-process
 * approximation: the test JVM also holds the test broker, the clients and JUnit, and System.gc() is
 * only a request; so the checks compare levels with generous bounds, and direct (off-heap) Netty
 * buffers are not seen at all.
 */
final class HeapProbe {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private HeapProbe() {
  }

  static long usedAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static String mb(long bytes) {
    return String.format("%.1f MB", bytes / 1048576.0);
  }
}
