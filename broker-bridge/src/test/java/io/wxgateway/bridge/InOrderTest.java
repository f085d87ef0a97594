package io.wxgateway.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

/** Hand-overs per target in the order the records came, whatever order their lookups finish in. */
class InOrderTest {

  private final InOrder<String, String> inOrder = new InOrder<>();
  private final List<String> handedOver = new ArrayList<>();

  private Future<String> add(String key, String record, Future<String> lookup) {
    return inOrder.add(key, lookup, nodes -> {
      handedOver.add(record + (nodes.succeeded() ? "->" + nodes.result() : " failed"));
      return Future.succeededFuture(record);
    });
  }

  @Test
  void lookupsFinishingInReverseStillHandOverInOrder() {
    Promise<String> l1 = Promise.promise();
    Promise<String> l2 = Promise.promise();
    Promise<String> l3 = Promise.promise();
    Future<String> r1 = add("alice", "r1", l1.future());
    add("alice", "r2", l2.future());
    Future<String> r3 = add("alice", "r3", l3.future());

    l3.complete("gw-b");
    l2.complete("gw-a");
    assertTrue(handedOver.isEmpty(), "r2 and r3 wait for r1");
    l1.fail(new IllegalStateException("no presence"));
    assertEquals(List.of("r1 failed", "r2->gw-a", "r3->gw-b"), handedOver, "a failed lookup is handed over too");
    assertEquals("r1", r1.result());
    assertEquals("r3", r3.result());
    assertEquals(0, inOrder.waitingKeys(), "nothing kept once all is handed over");
  }

  @Test
  void otherTargetsDoNotWaitAndALongRunGoesOverInOneLoop() {
    Promise<String> slow = Promise.promise();
    add("bob", "b1", slow.future());
    add("carol", "c1", Future.succeededFuture("gw-a"));
    assertEquals(List.of("c1->gw-a"), handedOver);

    // a run far longer than a stack of chained futures could be: one loop, no recursion per record
    for (int i = 2; i <= 100_000; i++) {
      add("bob", "b" + i, Future.succeededFuture("gw-a"));
    }
    slow.complete("gw-a");
    assertEquals(100_001, handedOver.size());
    assertEquals("b1->gw-a", handedOver.get(1));
    assertEquals("b100000->gw-a", handedOver.get(100_000));
  }
}
