package io.wxgateway.common.codec;

/**
 * What every inbound record of one connection shares: who sent it, from where, and on which node.
 * Immutable; built once per socket at the handshake.
 *
 * @param connectionId the record key and {@code ce_connectionid}
 * @param nodeId the gateway node, for {@code ce_source}
 * @param userId {@code ce_userid}, null for anonymous sockets
 * @param appId {@code ce_appid}, null when the Referer named none
 * @param subprotocol {@code ce_subprotocol}, the negotiated WebSocket subprotocol, or null
 */
public record InboundEvent(String connectionId, String nodeId, String userId, String appId, String subprotocol) {

  /** A socket with no subprotocol. */
  public InboundEvent(String connectionId, String nodeId, String userId, String appId) {
    this(connectionId, nodeId, userId, appId, null);
  }
}
