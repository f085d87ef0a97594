package io.wxgateway.common.bus;

import java.util.Objects;

import io.wxgateway.common.contract.CloseCodes;

/**
 * A request to one gateway node's admin endpoint ({@link BusAddresses#admin(String)}), answered with
 * an {@link AdminAnswer}, or a failure with status 400 (a bad request) or 404 (nothing of that id
 * here) and a message. Sent by the management port's admin API and by the per-user cap of the other
 * gateway nodes. Immutable, so the local codec passes it by reference.
 *
 * @param op what to do
 * @param connectionId {@link Op#GET}: the socket; {@link Op#CLOSE}: the socket, or null to close a user's
 * @param userId {@link Op#LIST}: only this user's sockets, or null; {@link Op#CLOSE}: whose sockets, when no connectionId
 * @param appId {@link Op#LIST}: only sockets of this AppID, or null
 * @param limit {@link Op#LIST}: at most this many sockets in the answer (the node caps it further)
 * @param closeCode {@link Op#CLOSE}: the close code; the node accepts 1000, 1001 and 3000-4999
 * @param closeReason {@link Op#CLOSE}: the close reason; the node accepts at most 123 UTF-8 bytes
 */
public record AdminRequest(Op op, String connectionId, String userId, String appId, int limit, int closeCode,
    String closeReason) {

  public enum Op {
    /** The matching sockets, oldest first: {@link AdminAnswer#listing}. */
    LIST,
    /** One socket's description: {@link AdminAnswer#connection}. */
    GET,
    /** Closes one socket or all of a user's: {@link AdminAnswer#closed}. */
    CLOSE,
    /** The node's counters: {@link AdminAnswer#stats}. */
    STATS
  }

  /** The code an operator's close uses when the request names none. */
  public static final int DEFAULT_CLOSE_CODE = CloseCodes.KICKED;
  /** The reason an operator's close uses when the request names none. */
  public static final String DEFAULT_CLOSE_REASON = "closed by an operator";
  /** The limit of a listing that names none: as many as a node lists at all. */
  public static final int NO_LIMIT = Integer.MAX_VALUE;

  public AdminRequest {
    Objects.requireNonNull(op, "op");
  }

  /** The sockets of {@code userId} (null: everyone's) with {@code appId} (null: any), at most {@code limit}. */
  public static AdminRequest list(String userId, String appId, int limit) {
    return new AdminRequest(Op.LIST, null, userId, appId, limit, 0, null);
  }

  public static AdminRequest get(String connectionId) {
    return new AdminRequest(Op.GET, connectionId, null, null, 0, 0, null);
  }

  public static AdminRequest closeConnection(String connectionId, int code, String reason) {
    return new AdminRequest(Op.CLOSE, connectionId, null, null, 0, code, reason);
  }

  public static AdminRequest closeUser(String userId, int code, String reason) {
    return new AdminRequest(Op.CLOSE, null, userId, null, 0, code, reason);
  }

  public static AdminRequest stats() {
    return new AdminRequest(Op.STATS, null, null, null, 0, 0, null);
  }
}
