package io.wxgateway.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Heap in use right after each garbage collection of this JVM, from the collectors' notifications:
 * no collection is forced, so measuring does not disturb the latencies it sits beside. Per interval it
 * keeps the lowest value (the closest to the live set) and the count and total pause of collections.
 */
final class GcWatcher implements NotificationListener, AutoCloseable {

  private final Set<String> heapPools = new HashSet<>();
  private long minAfterGc = Long.MAX_VALUE;
  private long lastAfterGc = -1;
  private long oldAfterGc = -1;
  private int count;
  private long pauseMs;

  GcWatcher() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(this, null, null);
      }
    }
  }

  @Override
  public synchronized void handleNotification(Notification n, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
        if (e.getKey().contains("Old") || e.getKey().contains("Tenured")) {
          oldAfterGc = e.getValue().getUsed();
        }
      }
    }
    lastAfterGc = used;
    minAfterGc = Math.min(minAfterGc, used);
    count++;
    pauseMs += info.getGcInfo().getDuration();
  }

  /** What the collections since the last call saw; resets the interval. */
  synchronized Interval interval() {
    Interval i = new Interval(minAfterGc == Long.MAX_VALUE ? lastAfterGc : minAfterGc, lastAfterGc, oldAfterGc, count,
        pauseMs);
    minAfterGc = Long.MAX_VALUE;
    count = 0;
    pauseMs = 0;
    return i;
  }

  /** Heap bytes after GC (lowest and last of the interval; -1 when no GC ran yet), old generation after the last GC. */
  record Interval(long minAfterGc, long lastAfterGc, long oldAfterGc, int collections, long pauseMs) {
  }

  @Override
  public void close() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        try {
          emitter.removeNotificationListener(this);
        } catch (javax.management.ListenerNotFoundException e) {
          // not registered
        }
      }
    }
  }
}
