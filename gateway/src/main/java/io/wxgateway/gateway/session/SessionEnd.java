package io.wxgateway.gateway.session;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.contract.CloseCodes;

/**
 * How one socket ends: whether and why the gateway closed it, whether what the client still sends
 * is relayed or refused, and how many messages read from it never reached Kafka, for its close
 * event. A close by the gateway for a reason that is not the client's fault (drain, lifetime, idle,
 * kick, a backend's close) keeps relaying what the client sent before it saw the close; a refusal
 * (rate limit, Kafka refusing a record, a broken frame) drops the rest and counts it. Used only on
 * the socket's event loop.
 */
final class SessionEnd {

  private final ServerWebSocket ws;
  private Integer serverCode;
  private String serverReason;
  private boolean refusing;
  private boolean ended;
  private long dropped;

  SessionEnd(ServerWebSocket ws) {
    this.ws = ws;
  }

  /**
   * Closes the socket with {@code code} and remembers that the gateway did, for the close event;
   * what the client sent before it saw the close is still relayed. Idempotent: the first reason
   * stands, and a socket whose client already sent its close frame is not closed again.
   */
  void close(short code, String reason) {
    if (!ws.isClosed() && record(code, reason)) {
      ws.close(code, reason);
    }
  }

  /** {@link #close}, and what the socket sends from now on is dropped and counted, not relayed. */
  void refuse(short code, String reason) {
    refuse();
    close(code, reason);
  }

  /** The reason the gateway closed with, or null. */
  String reason() {
    return serverReason;
  }

  /** Neither side has sent its close frame: a write can still reach the client. */
  boolean writable() {
    return !closing() && !ws.isClosed();
  }

  /** Records the gateway's close without closing (the connection drops by itself); false when already closing. */
  boolean record(int code, String reason) {
    if (closing()) {
      return false;
    }
    serverCode = code;
    serverReason = reason;
    return true;
  }

  /** From now on, messages read from the socket are dropped (and counted) instead of relayed. */
  void refuse() {
    refusing = true;
  }

  boolean relays() {
    return !refusing;
  }

  /** A message read from the socket that will not reach Kafka. */
  void dropped() {
    dropped++;
  }

  /** The gateway closed the socket, or the connection is gone. */
  boolean closing() {
    return serverCode != null || ended;
  }

  /** The connection is gone; false when it already was. */
  boolean end() {
    if (ended) {
      return false;
    }
    ended = true;
    return true;
  }

  boolean ended() {
    return ended;
  }

  boolean byServer() {
    return serverCode != null;
  }

  /** The code the close event reports: the gateway's, or else the client's. */
  int code(int clientCode) {
    return byServer() ? serverCode : clientCode;
  }

  /**
   * The client's close code (1006 when none came), unsigned; one outside 1000-1015 and 3000-4999 is
   * reported as a protocol error (1002), so a client cannot mint new metric tags.
   */
  static int clientCode(Short code) {
    if (code == null) {
      return CloseCodes.ABNORMAL;
    }
    int unsigned = Short.toUnsignedInt(code);
    boolean reportable = (unsigned >= 1000 && unsigned <= 1015) || (unsigned >= 3000 && unsigned <= 4999);
    return reportable ? unsigned : CloseCodes.PROTOCOL_ERROR;
  }

  /** The close event's value: who closed and why, what was dropped, and the socket's counters. */
  JsonObject event(int clientCode, String clientReason, SessionStats stats) {
    return stats.addTo(new JsonObject()
        .put("code", code(clientCode))
        .put("reason", byServer() ? serverReason : clientReason)
        .put("initiator", byServer() ? "server" : "client"))
        .put("messagesDropped", dropped);
  }
}
