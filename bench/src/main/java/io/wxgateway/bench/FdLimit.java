package io.wxgateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import io.vertx.core.json.JsonObject;

/**
 * The file-descriptor limit of this process ({@code ulimit -n}): every socket is a descriptor on the
 * client and one on the gateway, so a run that needs more than the limit fails fast with a clear
 * message instead of failing half-way with "too many open files". {@code bench/run} raises the limit
 * when the hard limit allows.
 */
final class FdLimit {

  private FdLimit() {
  }

  static long max() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  static long open() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getOpenFileDescriptorCount();
    }
    return -1;
  }

  /** Whether {@code needed} more descriptors fit under the limit (with some room for Kafka and the JVM). */
  static boolean fits(long needed) {
    long max = max();
    return max < 0 || needed <= max - open() - 200;
  }

  /** Fails unless {@code needed} more descriptors fit under the limit (with some room for Kafka and the JVM). */
  static void require(long needed, String what) {
    long max = max();
    if (max < 0) {
      return;
    }
    long free = max - open() - 200;
    if (needed > free) {
      throw new IllegalArgumentException(String.format(
          "%s needs about %,d file descriptors but only %,d are free under this process's limit of %,d "
              + "(ulimit -n). Raise the limit (bench/run tries ulimit -n 1048576; the hard limit here is what "
              + "it is: ulimit -Hn) or lower --connections.", what, needed, free, max));
    }
  }

  static void describe(JsonObject machine) {
    machine.put("fileDescriptorLimit", max());
  }
}
