package io.wxgateway.common.bus;

import java.util.List;

/**
 * One bridge's answer to a {@link ReplayRequest}: the pushes it has for the session in the partitions
 * it owns, in the order they are to be written (by partition order within a partition, by record time
 * across partitions). The requesting node has the whole gap once the answers' {@code partitions}
 * cover every partition of the outbound topic and each says {@code complete}. Immutable.
 *
 * @param requestId the request's id
 * @param bridgeId which bridge answered, for logs
 * @param partitionCount how many partitions the outbound topic has
 * @param partitions the partitions this answer covers (those the bridge owns)
 * @param complete whether the bridge's history reaches back far enough in each of them
 * @param detail why it is not complete, or null
 * @param pushes the pushes to write, with their positions; their target is as in their record
 */
public record ReplayAnswer(String requestId, String bridgeId, int partitionCount, List<Integer> partitions,
    boolean complete, String detail, List<Delivery> pushes) {

  public ReplayAnswer {
    partitions = List.copyOf(partitions);
    pushes = List.copyOf(pushes);
  }
}
