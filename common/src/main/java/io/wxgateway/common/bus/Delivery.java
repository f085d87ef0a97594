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
 */
public record Delivery(
    Action action,
    TargetKind targetKind,
    String target,
    Buffer payload,
    int closeCode,
    String closeReason,
    String recordId,
    long createdAt) {

  public enum Action { SEND_TEXT, SEND_BINARY, CLOSE }

  public enum TargetKind { CONNECTION, USER, ALL }

  public Delivery {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(targetKind, "targetKind");
    Objects.requireNonNull(payload, "payload");
    if (targetKind != TargetKind.ALL) {
      Objects.requireNonNull(target, "target");
    }
  }

  /** Bytes this delivery puts on the wire, for accounting and metrics. */
  public int size() {
    return payload.length();
  }
}
