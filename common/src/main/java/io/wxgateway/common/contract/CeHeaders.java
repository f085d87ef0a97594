package io.wxgateway.common.contract;

/**
 * Kafka header names of the wire contract (binary-mode CloudEvents over Kafka, v1): metadata travels
 * in headers named {@code ce_<attribute>}, the record value is the raw payload.
 */
public final class CeHeaders {

  /** Always {@value #SPEC_VERSION_1_0}. */
  public static final String SPECVERSION = "ce_specversion";
  /** Unique per record: {@code <connection id>-<seq>} on inbound records. */
  public static final String ID = "ce_id";
  /** {@code /wx-gateway/<node id>} on inbound records. */
  public static final String SOURCE = "ce_source";
  /** RFC 3339 instant, UTC. */
  public static final String TIME = "ce_time";
  /** One of {@link EventTypes}. */
  public static final String TYPE = "ce_type";
  public static final String CONNECTION_ID = "ce_connectionid";
  public static final String USER_ID = "ce_userid";
  public static final String APP_ID = "ce_appid";
  /** The negotiated WebSocket subprotocol, when there is one. */
  public static final String SUBPROTOCOL = "ce_subprotocol";
  /** 1, 2, 3 ... per connection, over every inbound record of that connection. */
  public static final String SEQ = "ce_seq";
  /** Outbound close: 1000 or 3000-4999. */
  public static final String CLOSE_CODE = "ce_closecode";
  /** Outbound close: at most 123 UTF-8 bytes. */
  public static final String CLOSE_REASON = "ce_closereason";
  /** Dead letters: a {@link DeliveryError} code. */
  public static final String DELIVERY_ERROR = "ce_deliveryerror";
  /** Dead letters: a human-readable detail of the error. */
  public static final String DELIVERY_DETAIL = "ce_deliverydetail";
  /**
   * Dead letters of a user's or a broadcast's record that some gateway nodes did not answer: those
   * nodes' ids, comma-separated (the other nodes got the record).
   */
  public static final String UNREACHED_NODES = "ce_unreachednodes";
  /** Session events and receipts: the session id (docs/sessions.md). */
  public static final String SESSION_ID = "ce_sessionid";
  /** Receipts: the acknowledged push's {@code <partition>:<offset>} in the outbound topic. */
  public static final String POSITION = "ce_position";
  /** Receipts: the acknowledged push's own {@code ce_id}. */
  public static final String PUSH_ID = "ce_pushid";
  /**
   * Messages of a session socket that the client sent with an id ({@code {"t":"msg","id":…}}): that
   * id. A client resends what the gateway did not confirm, so a backend dedupes by it.
   */
  public static final String CLIENT_MESSAGE_ID = "ce_clientmsgid";
  /** Not a {@code ce_} attribute: the standard content type header of binary-mode CloudEvents. */
  public static final String CONTENT_TYPE = "content-type";

  public static final String SPEC_VERSION_1_0 = "1.0";

  private CeHeaders() {
  }
}
