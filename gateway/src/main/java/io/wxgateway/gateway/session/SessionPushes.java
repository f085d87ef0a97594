package io.wxgateway.gateway.session;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.contract.DeliveryError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pushes of one session socket: written with their positions into the {@link PushLedger}, live
 * ones held back until the welcome (and a resume's replay) is written, a replayed position never
 * written twice, and at most {@code maxUnackedPushes} waiting for the client's acknowledgement (past
 * that, the socket closes with 1008). Used only on the socket's event loop.
 */
final class SessionPushes {

  private static final Logger LOG = LoggerFactory.getLogger(SessionPushes.class);

  private final SocketWriter writer;
  private final SessionEnd end;
  private final String connectionId;
  private final int maxUnacked;
  private final PushLedger ledger = new PushLedger();
  private final ArrayDeque<Delivery> held = new ArrayDeque<>();
  /** Positions a resume's replay wrote; null when the socket did not resume. */
  private Set<String> replayed;
  private boolean open;

  SessionPushes(SocketWriter writer, SessionEnd end, String connectionId, int maxUnacked) {
    this.writer = writer;
    this.end = end;
    this.connectionId = connectionId;
    this.maxUnacked = maxUnacked;
  }

  PushLedger ledger() {
    return ledger;
  }

  /** A resume: the replay comes first ({@link #replay}), live pushes wait. */
  void replaying() {
    replayed = new HashSet<>();
  }

  /** Writes a resume's replay, each position once and no close; answers how many pushes it wrote. */
  int replay(List<Delivery> pushes) {
    int written = 0;
    for (Delivery push : pushes) {
      String position = push.position();
      if (push.action() == Delivery.Action.CLOSE || position != null && !replayed.add(position)) {
        continue;
      }
      if (write(push, true).isSuccess()) {
        written++;
      }
    }
    return written;
  }

  /** Live pushes flow: those held meanwhile go first (but those the replay wrote), unless the socket is gone. */
  void open(BooleanSupplier gone) {
    open = true;
    while (!held.isEmpty() && !gone.getAsBoolean()) {
      write(held.poll(), false);
    }
  }

  /** A live push: held back until {@link #open}. */
  DeliveryResult push(Delivery delivery) {
    if (!open) {
      if (held.size() >= maxUnacked) {
        return tooSlow();
      }
      held.add(delivery);
      return DeliveryResult.delivered(1);
    }
    return write(delivery, false);
  }

  private DeliveryResult write(Delivery delivery, boolean replay) {
    String position = delivery.position();
    if (!replay && position != null && replayed != null && replayed.contains(position)) {
      return DeliveryResult.delivered(1); // written by the replay already
    }
    if (ledger.unacked() >= maxUnacked) {
      return tooSlow();
    }
    DeliveryResult result = writer.send(delivery, SessionFrames.pushHeader(position, delivery.recordId(), replay));
    if (result.isSuccess() && delivery.hasPosition()) {
      ledger.written(delivery.partition(), delivery.offset(), delivery.recordId());
    }
    return result;
  }

  private DeliveryResult tooSlow() {
    LOG.info("session socket {} has {} pushes unacknowledged: closing with 1008", connectionId, maxUnacked);
    end.close(CloseCodes.POLICY_VIOLATION, "client too slow");
    return DeliveryResult.failed(DeliveryError.CLIENT_TOO_SLOW,
        "too many pushes unacknowledged; socket closed with 1008");
  }
}
