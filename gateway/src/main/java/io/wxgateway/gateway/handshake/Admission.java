package io.wxgateway.gateway.handshake;

import io.wxgateway.gateway.cluster.UserCap;

/**
 * What an accepted handshake established about the client.
 *
 * @param userId the authenticated user, or null (anonymous)
 * @param tokenExpiresAt epoch milliseconds at which the token expires, or 0
 * @param referer the mini program's AppID and version, or null
 * @param clientAddress the client's address (behind trusted proxies: from X-Forwarded-For)
 * @param subprotocol the subprotocol the node answers with, or null (the client offered none)
 * @param slot the user's place under the reject-new cap, released once the socket is registered
 */
public record Admission(String userId, long tokenExpiresAt, WxReferer referer, String clientAddress,
    String subprotocol, UserCap.Slot slot) {

  public String appId() {
    return referer == null ? null : referer.appId();
  }
}
