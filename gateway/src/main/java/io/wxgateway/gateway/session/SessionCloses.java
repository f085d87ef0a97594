package io.wxgateway.gateway.session;

import io.wxgateway.common.contract.CloseCodes;

/**
 * How a session socket's close code maps to the session's fate (docs/sessions.md, "Ends and
 * suspends"): the closes the gateway makes on purpose to end the client (kicked, replaced, token
 * expired, a protocol error) end the session; every other loss of the socket suspends it, with a
 * reason for the {@code wx.session.suspend} event. Stateless.
 */
final class SessionCloses {

  private SessionCloses() {
  }

  /** Why a session ends when its socket closed with {@code code}; null: it suspends instead. */
  static String endingReason(int code) {
    return switch (code) {
      case CloseCodes.KICKED -> "kicked";
      case CloseCodes.REPLACED -> "replaced";
      case CloseCodes.TOKEN_EXPIRED -> "token-expired";
      case SessionFrames.PROTOCOL_ERROR -> "protocol-error";
      default -> null;
    };
  }

  /** The {@code reason} of the suspend event of a socket that closed with {@code code}. */
  static String suspendReason(int code, String reason, boolean byServer) {
    if (!byServer) {
      return code == CloseCodes.ABNORMAL ? "connection-lost" : "client-closed";
    }
    return switch (code) {
      case CloseCodes.IDLE_TIMEOUT -> "idle";
      case CloseCodes.POLICY_VIOLATION -> "client-too-slow";
      case CloseCodes.GOING_AWAY -> reason != null && reason.startsWith("maximum lifetime") ? "lifetime" : "drain";
      case CloseCodes.SERVICE_RESTART -> "drain";
      default -> "connection-lost";
    };
  }
}
