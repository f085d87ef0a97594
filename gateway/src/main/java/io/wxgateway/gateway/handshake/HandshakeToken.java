package io.wxgateway.gateway.handshake;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Finds the handshake's token: {@code Authorization: Bearer …} or, because mini programs have been
 * seen to lose headers, the query parameter. A client may send both, but only the same token: two
 * {@code Authorization} headers, or two different tokens (two parameters, or a header and a
 * parameter that differ), are ambiguous and refused, so a proxy and the gateway can never disagree
 * on who the client is.
 */
final class HandshakeToken {

  private HandshakeToken() {
  }

  /** The one token the request carries; a {@link HandshakeRejection} (401) when none or several. */
  static String of(HttpServerRequest req, String queryParam) {
    Set<String> tokens = new LinkedHashSet<>();
    List<String> authorizations = req.headers().getAll(HttpHeaders.AUTHORIZATION);
    for (String authorization : authorizations) {
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && !authorization.substring(7).trim().isEmpty()) {
        tokens.add(authorization.substring(7).trim());
      }
    }
    for (String fromQuery : queryValues(req, queryParam)) {
      if (!fromQuery.isEmpty()) {
        tokens.add(fromQuery);
      }
    }
    if (tokens.isEmpty()) {
      throw new HandshakeRejection(401, "unauthorized", "A token is required (Authorization: Bearer, or the '"
          + queryParam + "' query parameter).");
    }
    if (tokens.size() > 1 || authorizations.size() > 1) {
      throw new HandshakeRejection(401, "unauthorized", "Send one token: the request carries several.");
    }
    return tokens.iterator().next();
  }

  private static List<String> queryValues(HttpServerRequest req, String queryParam) {
    try {
      return req.params().getAll(queryParam);
    } catch (IllegalArgumentException e) { // a malformed escape such as %zz
      throw new HandshakeRejection(400, "malformed", "The query string is malformed.");
    }
  }
}
