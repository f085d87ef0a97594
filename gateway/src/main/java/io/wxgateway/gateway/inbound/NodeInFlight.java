package io.wxgateway.gateway.inbound;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide bound on inbound bytes waiting for Kafka. A socket whose record takes the node over
 * the bound stops being read until the node is back under half of it, however many sockets share
 * the load. Thread-safe: sockets of every event loop acquire and release; waiting sockets are told
 * to resume through {@link InboundFlow#nodeCapacityAvailable()}, which hops to their own loop.
 */
public final class NodeInFlight {

  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong();
  private final ConcurrentLinkedQueue<InboundFlow> waiting = new ConcurrentLinkedQueue<>();

  /** @param maxBytes 0 means unbounded */
  public NodeInFlight(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Counts {@code size} bytes in; true when the node is now over its bound and the caller must wait. */
  boolean acquire(int size) {
    return bytes.addAndGet(size) > maxBytes && maxBytes > 0;
  }

  void release(int size) {
    if (bytes.addAndGet(-size) <= maxBytes / 2) {
      wakeWaiting();
    }
  }

  /** Parks {@code flow} until the node is back under half its bound. */
  void await(InboundFlow flow) {
    waiting.add(flow);
    if (bytes.get() <= maxBytes / 2) {
      wakeWaiting(); // released while we were parking: nobody else would wake us
    }
  }

  public long bytes() {
    return bytes.get();
  }

  private void wakeWaiting() {
    InboundFlow flow;
    while ((flow = waiting.poll()) != null) {
      flow.nodeCapacityAvailable();
    }
  }
}
