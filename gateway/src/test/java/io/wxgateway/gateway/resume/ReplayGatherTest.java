package io.wxgateway.gateway.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayAnswer;
import org.junit.jupiter.api.Test;

/** Two bridges' answers make one replay: complete only when they cover every partition, merged by time. */
class ReplayGatherTest {

  private static Delivery push(int partition, long offset, long at) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.USER, "u", Buffer.buffer("x"), 0, null,
        "r" + offset, at, partition, offset);
  }

  @Test
  void answersCoveringEveryPartitionRecoverInTimeOrderKeepingEachAnswersOrder() {
    ReplayGather gather = new ReplayGather();
    assertFalse(gather.add(new ReplayAnswer("q", "b1", 3, List.of(0, 2), true, null,
        List.of(push(0, 5, 100), push(0, 6, 90), push(2, 1, 300)))), "partition 1 missing");
    assertTrue(gather.add(new ReplayAnswer("q", "b2", 3, List.of(1), true, null, List.of(push(1, 9, 200)))));
    assertTrue(gather.finish());
    assertFalse(gather.finish(), "once");
    assertTrue(gather.recovered());
    assertNull(gather.reason());
    assertEquals(List.of("0:5", "0:6", "1:9", "2:1"), gather.pushes().stream().map(Delivery::position).toList());
  }

  @Test
  void anIncompleteAnswerOrAMissingPartitionIsNotRecovered() {
    ReplayGather partial = new ReplayGather();
    partial.add(new ReplayAnswer("q", "b1", 2, List.of(0), true, null, List.of()));
    assertFalse(partial.recovered());
    assertEquals("bridges did not answer for every partition", partial.reason());
    ReplayGather evicted = new ReplayGather();
    assertTrue(evicted.add(new ReplayAnswer("q", "b1", 1, List.of(0), false, "history evicted", List.of())));
    assertFalse(evicted.recovered());
    assertEquals("history evicted", evicted.reason());
    assertEquals("no bridge answered", new ReplayGather().reason());
  }

  @Test
  void anAnswerAskedAgainOrFromANewOwnerAddsOnlyThePartitionsNotYetCovered() {
    ReplayGather gather = new ReplayGather();
    assertFalse(gather.add(new ReplayAnswer("q", "starting", 2, List.of(), true, null, List.of())),
        "a bridge not yet assigned covers nothing");
    assertFalse(gather.add(new ReplayAnswer("q", "b1", 2, List.of(0), true, null, List.of(push(0, 5, 100)))));
    assertFalse(gather.add(new ReplayAnswer("q", "b1", 2, List.of(0), true, null, List.of(push(0, 5, 100)))),
        "asked again: the same answer adds nothing");
    assertTrue(gather.add(new ReplayAnswer("q", "b2", 2, List.of(0, 1), true, null,
        List.of(push(0, 5, 100), push(1, 7, 150)))));
    assertTrue(gather.recovered());
    assertEquals(List.of("0:5", "1:7"), gather.pushes().stream().map(Delivery::position).toList(),
        "each push once");
  }
}
