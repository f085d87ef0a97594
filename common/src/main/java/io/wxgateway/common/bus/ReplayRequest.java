package io.wxgateway.common.bus;

import java.util.List;
import java.util.Map;

/**
 * A gateway node's request, published to every bridge ({@link BusAddresses#REPLAY}), for the pushes
 * a resumed session missed (docs/sessions.md). Each bridge answers with one {@link ReplayAnswer},
 * sent to {@code replyTo}, for the partitions it owns: the pushes to any of {@code targets} after
 * {@code acked}'s offset in their partition (in a partition {@code acked} does not list: consumed at or
 * after {@code sinceMs}), plus those it held for {@code sessionId}. Immutable.
 *
 * @param requestId unique per request: answers carry it
 * @param sessionId the resumed session
 * @param replyTo the event-bus address the answers go to
 * @param targets {@link #user} and {@link #connection} keys of the session's user and connection ids
 * @param acked per partition, the highest offset the session is known to have (every push to it at or
 *     below that offset in that partition was acknowledged)
 * @param sinceMs epoch milliseconds: in partitions {@code acked} does not list, pushes from then on are wanted
 */
public record ReplayRequest(String requestId, String sessionId, String replyTo, List<String> targets,
    Map<Integer, Long> acked, long sinceMs) {

  public ReplayRequest {
    targets = List.copyOf(targets);
    acked = Map.copyOf(acked);
  }

  /** The history key of pushes addressed to a user ({@code ce_userid}). */
  public static String user(String userId) {
    return "u:" + userId;
  }

  /** The history key of pushes addressed to a connection ({@code ce_connectionid}). */
  public static String connection(String connectionId) {
    return "c:" + connectionId;
  }

  /** The history key of a delivery's target; null for a broadcast (never replayed). */
  public static String key(Delivery delivery) {
    return switch (delivery.targetKind()) {
      case USER -> user(delivery.target());
      case CONNECTION -> connection(delivery.target());
      case ALL -> null;
    };
  }
}
