package io.wxgateway.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.gateway.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier alone, on a fixed clock: signatures by key type, the leeway's edges, the claims. */
class JwtVerifierTest {

  private static final long NOW = 1_800_000_000_000L;
  private static final long NOW_S = NOW / 1000;

  @TempDir
  Path dir;

  @Test
  void es256FromAJwksVerifiesAndAZeroSignatureNeverDoes() throws Exception {
    TestKeys ec = TestKeys.ec();
    JwtVerifier verifier = verifier(new AuthOptions().setAlgorithm("ES256").setJwksFile(
        Files.writeString(dir.resolve("ec.json"), ec.ecJwks("e1").encode()).toString()));
    JsonObject header = new JsonObject().put("alg", "ES256").put("kid", "e1");
    String token = ec.sign(header, claims(NOW_S + 60));
    assertEquals(new JwtVerifier.Identity("u1", (NOW_S + 60 + 60) * 1000), verifier.check(token, NOW));
    String zero = token.substring(0, token.lastIndexOf('.') + 1)
        + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(zero, NOW), "CVE-2022-21449");
  }

  @Test
  void aKeyWithoutKidAnswersTokensThatNameOne() throws Exception {
    TestKeys rsa = TestKeys.rsa();
    JwtVerifier verifier = verifier(new AuthOptions().setAlgorithm("RS256").setPublicKeyFile(
        Files.writeString(dir.resolve("rsa.pem"), rsa.publicKeyPem()).toString()));
    String token = rsa.sign(new JsonObject().put("alg", "RS256").put("kid", "rotated-2024"), claims(NOW_S + 60));
    assertEquals("u1", verifier.check(token, NOW).userId());
  }

  @Test
  void theLeewayBoundsExpNbfAndIatOnBothSides() throws Exception {
    JwtVerifier verifier = verifier(new AuthOptions().setSecret(TestKeys.SECRET).setLeewaySeconds(30));
    assertEquals("u1", verifier.check(hs256(claims(NOW_S - 29)), NOW).userId());
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(claims(NOW_S - 30)), NOW));
    assertEquals("u1", verifier.check(hs256(claims(NOW_S + 60).put("nbf", NOW_S + 30)), NOW).userId());
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(claims(NOW_S + 60).put("nbf", NOW_S + 31)), NOW));
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(claims(NOW_S + 60).put("iat", NOW_S + 31)), NOW));
    assertEquals(0, verifier.check(hs256(new JsonObject().put("sub", "no-exp")), NOW).expiresAtMillis());
  }

  @Test
  void issuerAudienceAndUserIdAreChecked() throws Exception {
    JwtVerifier verifier = verifier(new AuthOptions().setSecret(TestKeys.SECRET).setIssuer("https://idp")
        .setAudience("wx-gateway").setUserIdClaim("uid"));
    JsonObject good = new JsonObject().put("iss", "https://idp").put("aud", java.util.List.of("other", "wx-gateway"))
        .put("uid", 42);
    assertEquals("42", verifier.check(hs256(good), NOW).userId());
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(good.copy().put("iss", "https://evil")), NOW));
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(good.copy().put("aud", "other")), NOW));
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(good.copy().put("uid", true)), NOW));
    assertThrows(JwsToken.Rejected.class, () -> verifier.check(hs256(good.copy().put("uid", "")), NOW));
  }

  private static JwtVerifier verifier(AuthOptions options) {
    return new JwtVerifier(options.setMode("jwt"));
  }

  private static JsonObject claims(long exp) {
    return new JsonObject().put("sub", "u1").put("exp", exp);
  }

  private static String hs256(JsonObject claims) {
    return Hs256Tokens.sign(claims, TestKeys.SECRET);
  }
}
