package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The quorum rule on its own: who may act as the cluster, and when the agreed view shrinks. */
class ClusterQuorumTest {

  private static final long SETTLE_MS = 10_000;
  private static final long S = 1_000_000_000L;

  @Test
  void aNodeLosingItsPeersOneByOneAfterAPauseNeverAgreesOnASmallerView() {
    ClusterQuorum gw2 = new ClusterQuorum(List.of("gw1", "gw2", "gw3", "br"), SETTLE_MS, 0);
    gw2.viewChanged(List.of("gw2", "gw3", "br"), 1 * S);
    assertTrue(gw2.holds(), "3 of 4");
    assertNull(gw2.settle(2 * S), "not settled: nothing may be pruned yet");
    gw2.viewChanged(List.of("gw2", "br"), 2 * S);
    assertFalse(gw2.holds(), "2 of 4 without the oldest (gw1)");
    gw2.viewChanged(List.of("gw2"), 3 * S);
    assertFalse(gw2.holds());
    assertNull(gw2.settle(60 * S), "a side without the quorum never prunes");
    assertEquals(4, gw2.agreedSize());
    gw2.viewChanged(List.of("gw1", "gw3", "br", "gw2"), 70 * S);
    assertTrue(gw2.holds(), "merged back");
    assertEquals(Set.of(), gw2.settle(80 * S), "everyone is back: nothing to prune");
  }

  @Test
  void theMajorityPrunesOnceTheViewSettledAndAgreesOnTheSmallerView() {
    ClusterQuorum gw1 = new ClusterQuorum(List.of("gw1", "gw2", "gw3", "br"), SETTLE_MS, 0);
    gw1.viewChanged(List.of("gw1", "gw3", "br"), 1 * S);
    assertTrue(gw1.holds());
    assertNull(gw1.settle(5 * S));
    assertEquals(Set.of("gw2"), gw1.settle(11 * S));
    assertEquals(3, gw1.agreedSize());
    gw1.viewChanged(List.of("gw1", "br"), 12 * S);
    assertTrue(gw1.holds(), "2 of 3 agreed");
  }

  @Test
  void ofTwoEqualHalvesOnlyTheOneWithTheOldestMemberHoldsTheQuorum() {
    ClusterQuorum withOldest = new ClusterQuorum(List.of("a", "b", "c", "d"), SETTLE_MS, 0);
    ClusterQuorum without = new ClusterQuorum(List.of("a", "b", "c", "d"), SETTLE_MS, 0);
    withOldest.viewChanged(List.of("a", "b"), S);
    without.viewChanged(List.of("c", "d"), S);
    assertTrue(withOldest.holds());
    assertFalse(without.holds());
  }

  @Test
  void membersThatStopCleanlyDoNotCountSoAClusterScalesDownToOneNode() {
    ClusterQuorum last = new ClusterQuorum(List.of("a", "b"), SETTLE_MS, 0);
    last.leaving("a");
    last.viewChanged(List.of("b"), S);
    assertTrue(last.holds(), "the oldest left on purpose");
    ClusterQuorum crashed = new ClusterQuorum(List.of("a", "b"), SETTLE_MS, 0);
    crashed.viewChanged(List.of("b"), S);
    assertFalse(crashed.holds(), "the oldest vanished: b cannot tell a crash from a partition");
  }

  @Test
  void joinsGrowTheAgreedViewAtOnce() {
    ClusterQuorum q = new ClusterQuorum(List.of("a"), SETTLE_MS, 0);
    q.viewChanged(List.of("a", "b", "c"), S);
    assertEquals(3, q.agreedSize());
    q.viewChanged(List.of("b"), 2 * S);
    assertFalse(q.holds(), "1 of 3");
  }
}
