package io.wxgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.JsonObject;

/**
 * Signs HS256 tokens (compact JWS) of the kind the gateway accepts with {@code gateway.auth.secret}.
 * The gateway itself only verifies tokens; this is for what mints them next to it: the load-test
 * tool and the tests, which need tokens signed exactly as an identity provider would sign them.
 */
public final class Hs256Tokens {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Hs256Tokens() {
  }

  /** {@code claims} under the usual header ({@code {"alg":"HS256","typ":"JWT"}}), signed with {@code secret}'s UTF-8 bytes. */
  public static String sign(JsonObject claims, String secret) {
    return sign(new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims,
        secret.getBytes(StandardCharsets.UTF_8));
  }

  /** A token with exactly this header and these claims, HMAC-SHA256-signed with {@code secret}. */
  public static String sign(JsonObject header, JsonObject claims, byte[] secret) {
    String input = b64url(header) + "." + b64url(claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64url(JsonObject json) {
    return B64URL.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }
}
