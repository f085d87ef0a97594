package io.wxgateway.bridge;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.NodeDirectory;

/**
 * The gateway nodes a broadcast goes to, kept at the bridge rather than read from the cluster's
 * {@link NodeDirectory} for every broadcast record. In a cluster that read lists the keys of a
 * Hazelcast map, a query of every member on a worker thread, and each broadcast record waited for
 * one or two of them (docs/performance.md, "broadcasts without a directory query"). The directory changes only when
 * a gateway node joins or leaves, and every change is announced once the map has it ({@link
 * BusAddresses#GATEWAYS_CHANGED}): {@link #invalidate} on hearing one, or when the event bus no longer
 * knows a listed node, and the next broadcast reads the directory again.
 *
 * <p>A copy also lives at most {@code bridge.directoryCacheMs}, in case an announcement is lost
 * (published while this bridge was not yet known to the publisher's member); 0 reads the directory for
 * every broadcast, as before. A read that an invalidation overtook is given to the broadcasts that
 * waited for it, but not kept. Used only on the bridge verticle's event loop.
 */
final class DirectoryCache {

  private final FreshReads<Set<String>> reads;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  /** The copy; null when there is none (never read, or invalidated). Current while younger than maxAgeNanos. */
  private Set<String> nodes;
  private long readAt;
  /** Counts invalidations: a read is kept only if none came after it was asked for. */
  private long generation;

  DirectoryCache(Supplier<Future<Set<String>>> read, long maxAgeMs) {
    this(read, maxAgeMs, System::nanoTime);
  }

  DirectoryCache(Supplier<Future<Set<String>>> read, long maxAgeMs, LongSupplier nanoTime) {
    this.reads = new FreshReads<>(ignored -> read.get());
    this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMs);
    this.nanoTime = nanoTime;
  }

  /** The gateway node ids: the copy while it is current, else a read of the directory (shared, see {@link FreshReads}). */
  Future<Set<String>> nodes() {
    long now = nanoTime.getAsLong();
    if (nodes != null && now - readAt < maxAgeNanos) {
      return Future.succeededFuture(nodes);
    }
    long asked = generation;
    return reads.get("").onSuccess(read -> {
      if (generation == asked && maxAgeNanos > 0) {
        nodes = read;
        readAt = now;
      }
    });
  }

  /** The directory changed, or may have: the next broadcast reads it. */
  void invalidate() {
    generation++;
    nodes = null;
  }
}
