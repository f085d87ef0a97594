package io.wxgateway.gateway.resume;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayAnswer;

/**
 * The bridges' answers to one replay request, gathered until they cover every partition of the
 * outbound topic. Used under its own lock: answers come on the node's consumer, the timeout on the
 * socket's loop.
 */
final class ReplayGather {

  private final Set<Integer> covered = new HashSet<>();
  private final List<List<Delivery>> answers = new ArrayList<>();
  private int partitionCount = -1;
  private boolean complete = true;
  private String detail;
  private boolean done;
  /** The timeout's timer id; set before the request goes out. */
  volatile long timer = -1;
  /** Asks the bridges again (a bridge was assigned partitions meanwhile); set before the request goes out. */
  volatile Runnable reask = () -> { };
  /** What runs when the answers cover every partition; set before the request goes out. */
  volatile Runnable whenCovered = () -> { };

  /**
   * Adds an answer; true when the answers now cover every partition. The request is asked again
   * when a bridge is assigned partitions, so a bridge may answer twice, and after a rebalance two bridges for one partition:
   * the first answer for a partition is the one kept, the pushes of partitions already covered go.
   */
  synchronized boolean add(ReplayAnswer answer) {
    if (done) {
      return false;
    }
    partitionCount = answer.partitionCount();
    Set<Integer> fresh = new HashSet<>(answer.partitions());
    fresh.removeAll(covered);
    if (fresh.isEmpty()) {
      return false;
    }
    covered.addAll(fresh);
    answers.add(answer.pushes().stream().filter(d -> fresh.contains(d.partition())).toList());
    if (!answer.complete()) {
      complete = false;
      if (detail == null) {
        detail = answer.detail() == null ? "history incomplete on " + answer.bridgeId() : answer.detail();
      }
    }
    return partitionCount > 0 && covered.size() >= partitionCount;
  }

  /** Ends the gathering once (false if it had ended); then {@link #pushes}, {@link #recovered}, {@link #reason}. */
  synchronized boolean finish() {
    boolean first = !done;
    done = true;
    return first;
  }

  /**
   * The answers' pushes merged by record time, each answer's own order kept (it is already in the
   * order to write, by offset within a partition): a push never overtakes one before it in its answer.
   */
  synchronized List<Delivery> pushes() {
    List<Delivery> merged = new ArrayList<>();
    int[] next = new int[answers.size()];
    while (true) {
      int pick = -1;
      for (int i = 0; i < answers.size(); i++) {
        if (next[i] < answers.get(i).size() && (pick < 0
            || answers.get(i).get(next[i]).createdAt() < answers.get(pick).get(next[pick]).createdAt())) {
          pick = i;
        }
      }
      if (pick < 0) {
        return merged;
      }
      merged.add(answers.get(pick).get(next[pick]++));
    }
  }

  synchronized boolean recovered() {
    return complete && partitionCount > 0 && covered.size() >= partitionCount;
  }

  /** Why the replay is not complete, or null. */
  synchronized String reason() {
    if (recovered()) {
      return null;
    }
    if (detail != null) {
      return detail;
    }
    return partitionCount < 0 ? "no bridge answered" : "bridges did not answer for every partition";
  }
}
