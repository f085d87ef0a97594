package io.wxgateway.common.contract;

/** Why an outbound record was dead-lettered: the value of {@code ce_deliveryerror}. */
public enum DeliveryError {
  /** No socket with that connection id is open on its node. */
  CONNECTION_NOT_FOUND("connection-not-found"),
  /** The user has no open socket. */
  USER_OFFLINE("user-offline"),
  /** The node that owns the connection did not answer. */
  NODE_UNREACHABLE("node-unreachable"),
  /** The record breaks the contract (bad type, close code, reason, UTF-8, missing target). */
  INVALID_RECORD("invalid-record"),
  /** The socket's outbound queue was full. */
  CLIENT_TOO_SLOW("client-too-slow"),
  /** The socket write did not complete in time. */
  TIMEOUT("timeout"),
  /** The record was held for a suspended session (docs/sessions.md) that was not resumed within its window. */
  SESSION_EXPIRED("session-expired");

  private final String code;

  DeliveryError(String code) {
    this.code = code;
  }

  /** The wire value. */
  public String code() {
    return code;
  }

  public static DeliveryError fromCode(String code) {
    for (DeliveryError e : values()) {
      if (e.code.equals(code)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown delivery error: " + code);
  }
}
