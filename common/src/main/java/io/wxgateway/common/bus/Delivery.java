package io.wxgateway.common.bus;

import java.util.Objects;

import io.vertx.core.buffer.Buffer;

/**
 * One outbound action for the sockets of a gateway node, sent by the bridge over the event bus to
 * {@link BusAddresses#deliveries(String)}. Immutable, so the local codec passes it by reference.
 *
 * @param action what to do to each target socket
 * @param targetKind which sockets: one connection, every socket of a user, or every socket
 * @param target the connection id, the user id, or (for {@link TargetKind#ALL}) an AppID filter or null
 * @param payload the message for {@link Action#SEND_TEXT} (UTF-8, already validated) and {@link Action#SEND_BINARY}; empty for close
 * @param closeCode for {@link Action#CLOSE}: 1000 or 3000-4999
 * @param closeReason for {@link Action#CLOSE}: at most 123 UTF-8 bytes, or null
 * @param recordId the outbound record's {@code ce_id}, or null: for logs only
 * @param createdAt the outbound record's timestamp, epoch milliseconds: for delivery latency
 * @param partition the outbound record's partition, or -1 (a delivery not made from a record)
 * @param offset the outbound record's offset, or -1: with {@code partition}, the push's position in the
 *     session protocol (see docs/sessions.md), the same however often it is replayed
 */
public record Delivery(
    Action action,
    TargetKind targetKind,
    String target,
    Buffer payload,
    int closeCode,
    String closeReason,
    String recordId,
    long createdAt,
    int partition,
    long offset) {

  public enum Action { SEND_TEXT, SEND_BINARY, CLOSE }

  public enum TargetKind { CONNECTION, USER, ALL }

  /** A delivery without a position (not made from a record of the outbound topic). */
  public Delivery(Action action, TargetKind targetKind, String target, Buffer payload, int closeCode,
      String closeReason, String recordId, long createdAt) {
    this(action, targetKind, target, payload, closeCode, closeReason, recordId, createdAt, -1, -1);
  }

  public Delivery {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(targetKind, "targetKind");
    Objects.requireNonNull(payload, "payload");
    if (targetKind != TargetKind.ALL) {
      Objects.requireNonNull(target, "target");
    }
  }

  /** Whether it has a position in the outbound topic. */
  public boolean hasPosition() {
    return partition >= 0 && offset >= 0;
  }

  /** {@code <partition>:<offset>}, the push's position in the session protocol; null without one. */
  public String position() {
    return hasPosition() ? partition + ":" + offset : null;
  }

  /** The same delivery sent to another target (a replay to one session's socket). */
  public Delivery withTarget(TargetKind kind, String newTarget) {
    return new Delivery(action, kind, newTarget, payload, closeCode, closeReason, recordId, createdAt, partition, offset);
  }

  /** Bytes this delivery puts on the wire, for accounting and metrics. */
  public int size() {
    return payload.length();
  }
}
