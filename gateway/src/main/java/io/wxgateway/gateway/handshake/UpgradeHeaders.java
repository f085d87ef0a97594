package io.wxgateway.gateway.handshake;

import java.util.List;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The RFC 6455 headers an upgrade request must carry, checked before the guard runs: a request that
 * Vert.x would refuse anyway costs no token check and no rate-limit slot, gets a body that says which
 * header is wrong, and is counted before its answer is written (Vert.x fails {@code toWebSocket()}
 * only after it has written its own refusal). {@code Upgrade: websocket} and the method are checked
 * by the caller, which answers them with 426 and 405.
 */
public final class UpgradeHeaders {

  /** 13 is RFC 6455; Netty also frames the hybi drafts 7 and 8 the same way, and always has. */
  private static final List<String> VERSIONS = List.of("13", "8", "7");
  private static final String SUPPORTED_VERSION = "13";
  private static final CharSequence KEY = HttpHeaders.createOptimized("Sec-WebSocket-Key");
  private static final CharSequence VERSION = HttpHeaders.createOptimized("Sec-WebSocket-Version");

  private UpgradeHeaders() {
  }

  /**
   * The refusal for a request that breaks RFC 6455's handshake, or null when it can be upgraded. A
   * 426 for an unknown version names the one this server speaks on the response (RFC 6455 §4.4).
   */
  public static HandshakeRejection check(HttpServerRequest req) {
    MultiMap headers = req.headers();
    if (!headers.contains(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE, true)) {
      return new HandshakeRejection(400, "malformed", "Bad request: a WebSocket handshake needs 'Connection: Upgrade'.");
    }
    String key = headers.get(KEY);
    if (key == null || key.isBlank()) {
      return new HandshakeRejection(400, "malformed", "Bad request: a WebSocket handshake needs a Sec-WebSocket-Key.");
    }
    String version = headers.get(VERSION);
    if (version == null) {
      return new HandshakeRejection(400, "malformed",
          "Bad request: a WebSocket handshake needs 'Sec-WebSocket-Version: " + SUPPORTED_VERSION + "'.");
    }
    if (!VERSIONS.contains(version.trim())) {
      req.response().putHeader(VERSION, SUPPORTED_VERSION);
      return new HandshakeRejection(426, "malformed",
          "Upgrade required: this server speaks Sec-WebSocket-Version " + SUPPORTED_VERSION + ".");
    }
    return null;
  }
}
