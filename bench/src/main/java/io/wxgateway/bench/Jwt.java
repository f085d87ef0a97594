package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.JsonObject;

/** HS256 tokens for benchmark users, signed with the in-process runtimes' secret. */
final class Jwt {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Jwt() {
  }

  static String hs256(String secret, String subject, long ttlSeconds) {
    String header = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode());
    long now = System.currentTimeMillis() / 1000;
    String payload = b64(new JsonObject().put("sub", subject).put("iat", now).put("exp", now + ttlSeconds).encode());
    String signingInput = header + "." + payload;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return B64.encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
