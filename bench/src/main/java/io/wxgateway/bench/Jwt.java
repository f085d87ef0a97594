package io.wxgateway.bench;

import io.vertx.core.json.JsonObject;
import io.wxgateway.gateway.auth.Hs256Tokens;

/** HS256 tokens for benchmark users, signed with the in-process runtimes' secret. */
final class Jwt {

  private Jwt() {
  }

  static String hs256(String secret, String subject, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return Hs256Tokens.sign(new JsonObject().put("sub", subject).put("iat", now).put("exp", now + ttlSeconds), secret);
  }
}
