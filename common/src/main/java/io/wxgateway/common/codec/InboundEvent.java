package io.wxgateway.common.codec;

/**
 * What every inbound record of one connection shares: who sent it, from where, and on which node.
 * Immutable; built once per socket at the handshake.
 *
 * @param connectionId the record key and {@code ce_connectionid}
 * @param nodeId the gateway node, for {@code ce_source}
 * @param userId {@code ce_userid}, null for anonymous sockets
 * @param appId {@code ce_appid}, null when the Referer named none
 */
public record InboundEvent(String connectionId, String nodeId, String userId, String appId) {
}
