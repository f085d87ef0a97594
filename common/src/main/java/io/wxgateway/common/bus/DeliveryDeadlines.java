package io.wxgateway.common.bus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge's side of batch deadlines: a batch sent at {@code t} has until {@code t + budget} on the
 * bridge's clock, and the node must not write any of it after that, since the bridge then reports it
 * node-unreachable. Bridge and node are different JVMs, often different hosts, so the deadline is not
 * sent as a wall-clock time (skew would move it). Each answer carries the node's monotonic clock
 * reading ({@link DeliveryResults#nodeNanos()}); the bridge notes it with its own monotonic time of
 * receipt and expresses later deadlines in the node's clock: {@code nodeNanos + (deadline - receivedAt)}.
 * The reply's transit time only makes that earlier than the true deadline (the node refuses slightly
 * early, never late); both clocks advance at the same rate, also while a process is stopped, so a node
 * that was frozen and wakes up finds the deadline passed. Skew and steps of wall clocks play no part.
 *
 * <p>A node that never answered yet (or restarted: a new {@link NodeClock#ID}) cannot be given such
 * a deadline; its batch carries only the budget, which the node counts from when it handles it.
 * Not thread-safe: used on the bridge verticle's event loop.
 */
public final class DeliveryDeadlines {

  private record Reference(long clockId, long nodeNanos, long bridgeNanos) {
  }

  private final long budgetMs;
  private final Map<String, Reference> references = new HashMap<>();

  /** @param budgetMs how long a node has for a batch, from when the bridge sends it */
  public DeliveryDeadlines(long budgetMs) {
    this.budgetMs = budgetMs;
  }

  /** The batch for {@code nodeId}, sent now, with its deadline. */
  public DeliveryBatch batch(String nodeId, List<Delivery> deliveries) {
    long deadline = System.nanoTime() + budgetMs * 1_000_000;
    Reference ref = references.get(nodeId);
    if (ref == null) {
      return new DeliveryBatch(deliveries, budgetMs, 0, 0);
    }
    return new DeliveryBatch(deliveries, budgetMs, ref.clockId(), ref.nodeNanos() + (deadline - ref.bridgeNanos()));
  }

  /** Notes the node's clock from its answer, received now. */
  public void answered(String nodeId, DeliveryResults answer) {
    if (answer.clockId() != 0) {
      references.put(nodeId, new Reference(answer.clockId(), answer.nodeNanos(), System.nanoTime()));
    }
  }

  /** Forgets a node that left: it may come back with another clock. */
  public void forget(String nodeId) {
    references.remove(nodeId);
  }
}
