package io.wxgateway.deploy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread per socket that reads until {@link #close}, keeping what each socket received in order.
 * The message {@value #WARM_UP} is not kept: the first one only opens {@link #awaitWarmUp}.
 */
final class SocketReaders implements AutoCloseable {

  static final String WARM_UP = "warm-up";

  private final Map<String, List<String>> received = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch warmedUp = new CountDownLatch(1);
  private final AtomicBoolean reading = new AtomicBoolean(true);

  SocketReaders(List<ClusterSocket> sockets) {
    for (ClusterSocket socket : sockets) {
      List<String> mine = new CopyOnWriteArrayList<>();
      received.put(socket.id(), mine);
      Thread reader = new Thread(() -> read(socket, mine), "reader-" + socket.node());
      reader.setDaemon(true);
      reader.start();
    }
  }

  private void read(ClusterSocket socket, List<String> mine) {
    while (reading.get()) {
      try {
        String message = socket.nextText();
        if (message.equals(WARM_UP)) {
          warmedUp.countDown();
        } else {
          mine.add(message);
          count.incrementAndGet();
        }
      } catch (AssertionError quietFor20Seconds) {
        // keep reading until the test is done
      }
    }
  }

  boolean awaitWarmUp(long timeout, TimeUnit unit) throws InterruptedException {
    return warmedUp.await(timeout, unit);
  }

  /** Messages received so far on all sockets, duplicates included. */
  int count() {
    return count.get();
  }

  /** What the socket received, in order. */
  List<String> of(ClusterSocket socket) {
    return received.get(socket.id());
  }

  /** The distinct messages received on all sockets. */
  Set<String> distinct() {
    Set<String> all = new HashSet<>();
    received.values().forEach(all::addAll);
    return all;
  }

  @Override
  public void close() {
    reading.set(false);
  }
}
