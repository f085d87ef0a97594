package io.wxgateway.common.bus;

import java.util.List;

/**
 * The deliveries a bridge sends one gateway node in one event-bus request, in the order it consumed
 * them. The node answers with a {@link DeliveryResults} of the same size and order. One request per
 * node at a time, however many records it carries: the event-bus round trip, its timer and (in a
 * cluster) its TCP write are paid once per batch instead of once per record.
 *
 * <p>A batch has a deadline, after which the bridge has stopped waiting for it and dead-lettered its
 * records: the node writes none of them to a socket after it (see {@link DeliveryDeadlines} for how
 * the deadline survives clock skew and a frozen node).
 *
 * @param deliveries never empty
 * @param budgetMs how long the node may take from the moment it handles the batch; 0: unbounded. Used
 *     only when the node cannot use {@code deadlineNanos} (a node the bridge has never heard from)
 * @param clockId the {@link NodeClock#ID} of the node whose clock {@code deadlineNanos} is in; 0: none
 * @param deadlineNanos the deadline on that node's {@link System#nanoTime()} clock
 */
public record DeliveryBatch(List<Delivery> deliveries, long budgetMs, long clockId, long deadlineNanos) {

  /** {@link #deadlineHere} of a batch without any deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  public DeliveryBatch {
    deliveries = List.copyOf(deliveries);
  }

  /** Without a deadline: the node writes it whenever it gets to it (one-off senders, tests). */
  public DeliveryBatch(List<Delivery> deliveries) {
    this(deliveries, 0, 0, 0);
  }

  /**
   * The deadline on this node's {@link System#nanoTime()} clock, for a batch this node began handling
   * at {@code handledNanos}; {@link #NO_DEADLINE} when the batch has none.
   */
  public long deadlineHere(long handledNanos) {
    if (clockId != 0 && clockId == NodeClock.ID) {
      return deadlineNanos;
    }
    return budgetMs > 0 ? handledNanos + budgetMs * 1_000_000 : NO_DEADLINE;
  }

  /** Whether {@code deadline} (from {@link #deadlineHere}) has passed at {@code nowNanos}. */
  public static boolean passed(long deadline, long nowNanos) {
    return deadline != NO_DEADLINE && nowNanos - deadline > 0;
  }
}
