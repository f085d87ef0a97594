package io.wxgateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * CPU time of this process and of the load generator's own threads (its event loops, and the Kafka
 * client threads of the baseline), so the report can show that the load generator is not the
 * bottleneck. Shares are of the whole machine: 100% = every core busy for the whole phase.
 */
final class CpuMeter {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int CORES = Runtime.getRuntime().availableProcessors();

  /** Threads known to belong to the load generator, by id. */
  private final Set<Long> loadThreads = ConcurrentHashMap.newKeySet();
  /** Threads recognised by name (the baseline's Kafka clients are created by the bench, named after it). */
  private final Predicate<String> loadThreadNames;

  CpuMeter(Predicate<String> loadThreadNames) {
    this.loadThreadNames = loadThreadNames;
    if (THREADS.isThreadCpuTimeSupported() && !THREADS.isThreadCpuTimeEnabled()) {
      THREADS.setThreadCpuTimeEnabled(true);
    }
  }

  void addLoadThread(Thread t) {
    loadThreads.add(t.getId());
  }

  void addLoadThreads(Collection<Thread> threads) {
    threads.forEach(this::addLoadThread);
  }

  /** True for a thread of the load generator (its id registered, or its name recognised). */
  boolean isLoadThread(long id, String name) {
    return loadThreads.contains(id) || loadThreadNames.test(name);
  }

  /** A reading; the difference of two readings is a {@link Share}. */
  record Snapshot(long wallNanos, long processNanos, long loadNanos, java.util.Map<String, Long> byGroup) {
  }

  /** CPU used between two snapshots, as fractions of the machine (all cores). */
  record Share(double process, double loadGenerator, java.util.Map<String, Double> byGroup) {
    Share(double process, double loadGenerator) {
      this(process, loadGenerator, java.util.Map.of());
    }
  }

  Snapshot snapshot() {
    long load = 0;
    java.util.Map<String, Long> groups = new java.util.HashMap<>();
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long t = THREADS.getThreadCpuTime(ids[i]);
      if (t <= 0 || infos[i] == null) {
        continue;
      }
      String name = infos[i].getThreadName();
      boolean mine = isLoadThread(ids[i], name);
      if (mine) {
        load += t;
      }
      groups.merge((mine ? "[load generator] " : "") + group(name), t, Long::sum);
    }
    return new Snapshot(System.nanoTime(), processCpuNanos(), load, groups);
  }

  /** A thread's name without its numbers, so that the four event loops are one group. */
  static String group(String threadName) {
    return threadName.replaceAll("\\d+", "#").replaceAll("[0-9a-f]{8}", "#");
  }

  static Share between(Snapshot a, Snapshot b) {
    double capacity = (double) (b.wallNanos - a.wallNanos) * CORES;
    if (capacity <= 0) {
      return new Share(0, 0);
    }
    // Threads that ended between the snapshots take their CPU time with them: loadGenerator is a lower bound.
    java.util.Map<String, Double> groups = new java.util.HashMap<>();
    b.byGroup.forEach((g, t) -> {
      double share = (t - a.byGroup.getOrDefault(g, 0L)) / capacity;
      if (share > 0.001) {
        groups.put(g, share);
      }
    });
    return new Share((b.processNanos - a.processNanos) / capacity, Math.max(0, b.loadNanos - a.loadNanos) / capacity,
        groups);
  }

  static int cores() {
    return CORES;
  }

  static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }
}
