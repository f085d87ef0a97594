package io.wxgateway.common.contract;

import java.nio.charset.StandardCharsets;

/**
 * WebSocket close codes the gateway uses, and the rules for codes that backends may ask for.
 * The README's close-code table is the user-facing copy of this class.
 */
public final class CloseCodes {

  public static final short NORMAL = 1000;
  /** Shutdown, drain, maximum lifetime. */
  public static final short GOING_AWAY = 1001;
  /** The peer went away without a close frame; never sent, only reported in close events. */
  public static final short ABNORMAL = 1006;
  /** A text message that is not valid UTF-8. */
  public static final short INVALID_PAYLOAD = 1007;
  /** Rate limit, AppID, slow consumer. */
  public static final short POLICY_VIOLATION = 1008;
  /** A message over the size limit. */
  public static final short MESSAGE_TOO_BIG = 1009;
  public static final short INTERNAL_ERROR = 1011;
  /** Service restart: this node lost its cluster and sheds its sockets; reconnect (to another node). */
  public static final short SERVICE_RESTART = 1012;
  /** Kafka is unavailable: the message was not accepted, the client should retry later. */
  public static final short TRY_AGAIN_LATER = 1013;
  /** No message and no pong within the idle timeout. */
  public static final short IDLE_TIMEOUT = 4000;
  /** The token expired while the socket was open. */
  public static final short TOKEN_EXPIRED = 4001;
  /** Replaced by a newer connection of the same user. */
  public static final short REPLACED = 4002;
  /** Closed by an operator. */
  public static final short KICKED = 4003;

  /** RFC 6455: the reason must fit a control frame of 125 bytes with the 2-byte code. */
  public static final int MAX_REASON_BYTES = 123;

  private CloseCodes() {
  }

  /** Codes a backend may send on {@code wx.outbound}: 1000 or 3000-4999. */
  public static boolean isAllowedForBackends(int code) {
    return code == NORMAL || (code >= 3000 && code <= 4999);
  }

  public static boolean isReasonAllowed(String reason) {
    return reason == null || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES;
  }

  /** The protocol-error code, for what a peer must not send. */
  public static final short PROTOCOL_ERROR = 1002;

  /**
   * The class used as a metric tag, from a small fixed set: the standard codes as themselves, the
   * 3000-4999 ranges folded to {@code 3xxx} and {@code 4xxx}, anything else {@code other}.
   */
  public static String codeClass(int code) {
    if (code >= 4000 && code <= 4999) {
      return "4xxx";
    }
    if (code >= 3000 && code <= 3999) {
      return "3xxx";
    }
    return code >= 1000 && code <= 1015 ? Integer.toString(code) : "other";
  }
}
