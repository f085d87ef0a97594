package io.wxgateway.gateway.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pushes a session socket wrote with a position and the client has not acknowledged yet, and the
 * acknowledged watermark per partition that follows: (lowest unacknowledged offset - 1), or else the
 * highest offset written or known acknowledged. Used only on the socket's event loop.
 */
public final class PushLedger {

  /** A push the client acknowledged: what its receipt names. */
  public record Acked(int partition, long offset, String pushId) {
    public String position() {
      return partition + ":" + offset;
    }
  }

  private final Map<Integer, TreeMap<Long, String>> unacked = new HashMap<>();
  private final Map<Integer, Long> highest = new HashMap<>();
  private int count;
  private boolean changed;

  /** Starts from what the session had acknowledged before (a resume). */
  public void seed(Map<Integer, Long> acked) {
    acked.forEach((p, o) -> highest.merge(p, o, Math::max));
  }

  /** A push written with its position. */
  void written(int partition, long offset, String pushId) {
    if (unacked.computeIfAbsent(partition, p -> new TreeMap<>()).putIfAbsent(offset, pushId == null ? "" : pushId)
        == null) {
      count++;
    }
    highest.merge(partition, offset, Math::max);
  }

  /** Positions {@code "<partition>:<offset>"} the client has; answers those that were unacknowledged. */
  List<Acked> ack(List<?> positions) {
    List<Acked> acked = new ArrayList<>(positions.size());
    for (Object p : positions) {
      if (!(p instanceof String s)) {
        continue;
      }
      int colon = s.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      try {
        int partition = Integer.parseInt(s, 0, colon, 10);
        long offset = Long.parseLong(s, colon + 1, s.length(), 10);
        TreeMap<Long, String> open = unacked.get(partition);
        String id = open == null ? null : open.remove(offset);
        if (id != null) {
          count--;
          changed = true;
          acked.add(new Acked(partition, offset, id.isEmpty() ? null : id));
        }
      } catch (NumberFormatException ignored) {
        // not a position: nothing to acknowledge
      }
    }
    return acked;
  }

  /** Pushes written and not yet acknowledged. */
  public int unacked() {
    return count;
  }

  /** The acknowledged watermark per partition. */
  public Map<Integer, Long> watermarks() {
    Map<Integer, Long> marks = new HashMap<>(highest);
    unacked.forEach((p, open) -> {
      if (!open.isEmpty()) {
        marks.put(p, open.firstKey() - 1);
      }
    });
    return marks;
  }

  /** Whether acknowledgements came since the last call. */
  public boolean takeChanged() {
    boolean was = changed;
    changed = false;
    return was;
  }
}
