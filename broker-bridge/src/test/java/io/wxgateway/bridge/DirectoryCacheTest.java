package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

/** The bridge's copy of the gateway-node directory: read once, again after every change, never kept past its age. */
class DirectoryCacheTest {

  private final AtomicLong now = new AtomicLong();
  private final Deque<Promise<Set<String>>> reads = new ArrayDeque<>();
  private Set<String> directory = Set.of("gw-1", "gw-2");
  private int readCount;

  private Future<Set<String>> read() {
    readCount++;
    return Future.succeededFuture(directory);
  }

  private Future<Set<String>> pendingRead() {
    readCount++;
    Promise<Set<String>> p = Promise.promise();
    reads.add(p);
    return p.future();
  }

  private DirectoryCache cache(long maxAgeMs) {
    return new DirectoryCache(this::read, maxAgeMs, now::get);
  }

  @Test
  void aStreamOfBroadcastsReadsTheDirectoryOnce() {
    DirectoryCache cache = cache(1_000);
    for (int i = 0; i < 1_000; i++) {
      assertEquals(Set.of("gw-1", "gw-2"), cache.nodes().result());
    }
    assertEquals(1, readCount);
  }

  @Test
  void aChangeMakesTheNextBroadcastReadTheDirectoryAgain() {
    DirectoryCache cache = cache(60_000);
    assertEquals(Set.of("gw-1", "gw-2"), cache.nodes().result());
    directory = Set.of("gw-1", "gw-2", "gw-3");
    assertEquals(Set.of("gw-1", "gw-2"), cache.nodes().result(), "unannounced, the copy stands");
    cache.invalidate();
    assertEquals(Set.of("gw-1", "gw-2", "gw-3"), cache.nodes().result());
    assertEquals(Set.of("gw-1", "gw-2", "gw-3"), cache.nodes().result());
    assertEquals(2, readCount);
  }

  @Test
  void theCopyLivesAtMostItsMaximumAge() {
    DirectoryCache cache = cache(1_000);
    cache.nodes();
    now.set(TimeUnit.MILLISECONDS.toNanos(999));
    cache.nodes();
    assertEquals(1, readCount);
    now.set(TimeUnit.MILLISECONDS.toNanos(1_000));
    cache.nodes();
    assertEquals(2, readCount, "read again once a second old");
  }

  @Test
  void withZeroEveryBroadcastReadsTheDirectory() {
    DirectoryCache cache = cache(0);
    for (int i = 0; i < 3; i++) {
      cache.nodes();
    }
    assertEquals(3, readCount);
  }

  @Test
  void aReadThatAChangeOvertookServesItsBroadcastsButIsNotKept() {
    DirectoryCache cache = new DirectoryCache(this::pendingRead, 60_000, now::get);
    Future<Set<String>> first = cache.nodes();
    cache.invalidate(); // a node joined while the read was on its way: it may not list the node
    reads.poll().complete(Set.of("gw-1"));
    assertEquals(Set.of("gw-1"), first.result());

    Future<Set<String>> second = cache.nodes();
    assertEquals(2, readCount, "the overtaken read was not kept");
    reads.poll().complete(Set.of("gw-1", "gw-2"));
    assertEquals(Set.of("gw-1", "gw-2"), second.result());
    assertEquals(Set.of("gw-1", "gw-2"), cache.nodes().result());
    assertEquals(2, readCount, "a read that nothing overtook is kept");
  }

  @Test
  void broadcastsThatAskWhileAReadIsOnItsWayShareIt() {
    DirectoryCache cache = new DirectoryCache(this::pendingRead, 60_000, now::get);
    Future<Set<String>> first = cache.nodes();
    Future<Set<String>> second = cache.nodes();
    reads.poll().complete(Set.of("gw-1"));
    assertEquals(Set.of("gw-1"), first.result());
    // the second asked after the first read started: it gets a read of its own (FreshReads), then it is kept
    reads.poll().complete(Set.of("gw-1"));
    assertEquals(Set.of("gw-1"), second.result());
    cache.nodes();
    assertEquals(2, readCount);
  }
}
