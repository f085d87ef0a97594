package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

/** The shared reads the bridge looks presence and the directory up with: shared, yet never older than the caller. */
class FreshReadsTest {

  /** Every read started, in order; each completes when the test says. */
  private final List<Promise<String>> started = new ArrayList<>();
  private final FreshReads<String> reads = new FreshReads<>(key -> {
    Promise<String> p = Promise.promise();
    started.add(p);
    return p.future();
  });

  @Test
  void aCallerWhoAsksWhileAReadIsInFlightGetsTheNextReadNotThatOne() {
    Future<String> first = reads.get("alice");
    Future<String> second = reads.get("alice"); // the presence may have changed since the first read started
    assertEquals(1, started.size(), "one read in flight per key");

    started.get(0).complete("gw-a");
    assertEquals("gw-a", first.result());
    assertFalse(second.isComplete(), "the second caller waits for a read that started after it asked");
    assertEquals(2, started.size());

    started.get(1).complete("gw-a,gw-b");
    assertEquals("gw-a,gw-b", second.result());
  }

  @Test
  void everyoneWhoAsksDuringOneReadSharesTheNextOne() {
    reads.get("bob");
    Future<String> a = reads.get("bob");
    Future<String> b = reads.get("bob");
    Future<String> c = reads.get("bob");
    started.get(0).complete("old");
    assertEquals(2, started.size(), "three callers, one more read");
    started.get(1).complete("new");
    assertEquals(List.of("new", "new", "new"), List.of(a.result(), b.result(), c.result()));

    Future<String> later = reads.get("bob");
    assertEquals(3, started.size(), "nothing in flight any more: a read of its own, at once");
    started.get(2).complete("newer");
    assertEquals("newer", later.result());
  }

  @Test
  void keysDoNotWaitForEachOtherAndAFailureFailsOnlyItsOwnCallers() {
    Future<String> carol = reads.get("carol");
    Future<String> dave = reads.get("dave");
    assertEquals(2, started.size(), "another key reads concurrently");
    Future<String> carolAgain = reads.get("carol");

    started.get(0).fail(new IllegalStateException("member gone"));
    assertTrue(carol.failed());
    assertFalse(carolAgain.isComplete(), "the next read is a new chance");
    started.get(2).complete("gw-b");
    assertEquals("gw-b", carolAgain.result());

    started.get(1).complete("gw-a");
    assertEquals("gw-a", dave.result());
  }

  @Test
  void aReadThatThrowsFailsItsCallerAndLeavesNothingBehind() {
    RuntimeException boom = new IllegalStateException("boom");
    FreshReads<String> throwing = new FreshReads<>(key -> {
      throw boom;
    });
    assertSame(boom, throwing.get("erin").cause());
    assertSame(boom, throwing.get("erin").cause(), "not stuck behind the failed read");
  }
}
