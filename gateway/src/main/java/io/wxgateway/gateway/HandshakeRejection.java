package io.wxgateway.gateway;

/**
 * Why a handshake is refused before the upgrade: the HTTP status the client gets, a metric reason
 * from a fixed set, and a short message for the response body (never a token, never a payload).
 */
final class HandshakeRejection extends RuntimeException {

  /** Every reason, registered up front so dashboards see zeros rather than gaps. */
  static final String[] REASONS = {"not-found", "method", "not-websocket", "origin", "appid", "subprotocol",
      "node-full", "rate-limited", "unauthorized", "user-limit", "draining", "out-of-cluster", "timeout", "internal",
      "malformed"};

  private final int status;
  private final String reason;

  HandshakeRejection(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }
}
