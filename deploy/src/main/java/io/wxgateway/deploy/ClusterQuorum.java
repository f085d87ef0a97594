package io.wxgateway.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether this side of the cluster may act as the cluster: a strict majority of the members of the
 * last agreed view, or exactly half of it including that view's oldest member (so that of two equal
 * halves exactly one qualifies). A node alone after a pause, or the minority of a partition, does
 * not: it must not prune the others' state, and its gateway sheds its sockets ({@link ClusterStanding}).
 *
 * <p>The agreed view grows at once when members join a side that holds the quorum, and shrinks to
 * the current view only once that view has been stable for the settle time: a side that loses its
 * members one by one (as a node waking from a pause does) never agrees on a smaller view on the way
 * down. Members that announced a clean stop ({@link #leaving}) do not count, so scaling down one node
 * at a time, even to a single one, keeps the quorum. Members are Vert.x node ids, oldest first.
 *
 * <p>Pure logic, no Hazelcast: the caller passes views and times. Thread-safe.
 */
final class ClusterQuorum {

  private final long settleNanos;
  private List<String> agreed;
  private List<String> current;
  private final Set<String> leaving = new HashSet<>();
  private final Set<String> departed = new LinkedHashSet<>();
  private long changedAt;

  ClusterQuorum(List<String> view, long settleMs, long nowNanos) {
    this.settleNanos = settleMs * 1_000_000;
    this.agreed = List.copyOf(view);
    this.current = List.copyOf(view);
    this.changedAt = nowNanos;
  }

  /** The member list changed (a join, a departure, a merge). */
  synchronized void viewChanged(List<String> view, long nowNanos) {
    for (String member : current) {
      if (!view.contains(member)) {
        departed.add(member);
      }
    }
    departed.removeAll(view);
    current = List.copyOf(view);
    changedAt = nowNanos;
    if (holds()) {
      Set<String> grown = new LinkedHashSet<>(agreed);
      grown.addAll(view);
      agreed = List.copyOf(grown);
    }
  }

  /** That member announced a clean stop: its departure is not a failure. */
  synchronized void leaving(String member) {
    leaving.add(member);
  }

  synchronized boolean holds() {
    List<String> voters = new ArrayList<>(agreed);
    voters.removeAll(leaving);
    if (voters.isEmpty()) {
      return true;
    }
    long present = voters.stream().filter(current::contains).count();
    return 2 * present > voters.size() || (2 * present == voters.size() && current.contains(voters.get(0)));
  }

  /**
   * Once the view has been stable for the settle time on a side that holds the quorum: the agreed
   * view becomes the current one, and the members that departed since the last settling are returned
   * (their state may be pruned now). Otherwise null: nothing may be pruned yet.
   */
  synchronized Set<String> settle(long nowNanos) {
    if (nowNanos - changedAt < settleNanos || !holds()) {
      return null;
    }
    agreed = current;
    leaving.retainAll(current);
    Set<String> gone = new LinkedHashSet<>(departed);
    departed.clear();
    return gone;
  }

  synchronized int agreedSize() {
    return agreed.size();
  }

  synchronized int currentSize() {
    return current.size();
  }
}
