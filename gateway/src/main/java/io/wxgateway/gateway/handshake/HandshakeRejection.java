package io.wxgateway.gateway.handshake;

/**
 * Why a handshake is refused before the upgrade: the HTTP status the client gets, a metric reason
 * from the fixed set {@link io.wxgateway.gateway.metrics.GatewayMetrics#HANDSHAKE_REJECTIONS}, and a
 * short message for the response body (never a token, never a payload).
 */
public final class HandshakeRejection extends RuntimeException {

  private final int status;
  private final String reason;

  public HandshakeRejection(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
