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

/**
 * The verifier alone, on a fixed clock: signatures by key type, the leeway's edges, the claims, and
 * the tokens it remembers as verified.
 */
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

  @Test
  void aTokenThatPassedIsAcceptedAgainWithoutTheChecksUntilItExpires() throws Exception {
    JwtVerifier verifier = verifier(new AuthOptions().setSecret(TestKeys.SECRET).setLeewaySeconds(30));
    String token = hs256(claims(NOW_S + 60));
    JwtVerifier.Identity identity = verifier.accept(token, NOW);
    assertEquals(identity, verifier.accept(token, NOW + 1_000));
    assertEquals(identity, verifier.accept(token, (NOW_S + 90) * 1000 - 1), "the last millisecond of the leeway");
    assertEquals(1, verifier.checked());
    assertEquals(2, verifier.remembered());
    assertThrows(JwsToken.Rejected.class, () -> verifier.accept(token, (NOW_S + 90) * 1000), "expired, remembered or not");
    assertEquals(2, verifier.remembered());
  }

  @Test
  void onlyTheVeryTokenThatPassedIsRemembered() throws Exception {
    JwtVerifier verifier = verifier(new AuthOptions().setSecret(TestKeys.SECRET));
    JsonObject claims = claims(NOW_S + 60);
    String token = hs256(claims);
    verifier.accept(token, NOW);
    String otherSecret = Hs256Tokens.sign(claims, TestKeys.SECRET + "-other");
    assertThrows(JwsToken.Rejected.class, () -> verifier.accept(otherSecret, NOW), "same claims, another key");
    String otherClaims = hs256(claims.copy().put("sub", "u2"));
    String spliced = otherClaims.substring(0, otherClaims.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
    assertThrows(JwsToken.Rejected.class, () -> verifier.accept(spliced, NOW), "another payload, this signature");
    assertThrows(JwsToken.Rejected.class, () -> verifier.accept(spliced, NOW), "refusals are not remembered");
    assertEquals(1, verifier.checked());
    assertEquals(0, verifier.remembered());
  }

  @Test
  void aTokenWithoutExpIsRememberedForAsLongAsItStaysInTheCache() throws Exception {
    JwtVerifier verifier = verifier(new AuthOptions().setSecret(TestKeys.SECRET));
    String token = hs256(new JsonObject().put("sub", "forever"));
    verifier.accept(token, NOW);
    assertEquals("forever", verifier.accept(token, NOW + 365L * 86_400_000).userId(), "a year later");
    assertEquals(1, verifier.checked());
    assertEquals(1, verifier.remembered());
  }

  @Test
  void aTokenRefusedAsNotYetValidIsCheckedAgainAndAcceptedOnceItIs() throws Exception {
    JwtVerifier verifier = verifier(new AuthOptions().setSecret(TestKeys.SECRET).setLeewaySeconds(0));
    String token = hs256(claims(NOW_S + 600).put("nbf", NOW_S + 60));
    assertThrows(JwsToken.Rejected.class, () -> verifier.accept(token, NOW), "nbf a minute ahead");
    assertEquals(0, verifier.checked(), "a refusal counts as neither");
    assertEquals("u1", verifier.accept(token, (NOW_S + 60) * 1000).userId(), "valid from nbf on");
    assertEquals(1, verifier.checked(), "the refusal was not remembered: the token was checked again");
    assertEquals(0, verifier.remembered());
  }

  @Test
  void theLeastRecentlyUsedTokenLeavesFirstAndZeroRemembersNone() throws Exception {
    JwtVerifier two = verifier(new AuthOptions().setSecret(TestKeys.SECRET).setVerifiedTokens(2));
    String a = hs256(claims(NOW_S + 60).put("sub", "a"));
    String b = hs256(claims(NOW_S + 60).put("sub", "b"));
    String c = hs256(claims(NOW_S + 60).put("sub", "c"));
    for (String token : java.util.List.of(a, b, a, c, a, b)) {
      two.accept(token, NOW);
    }
    assertEquals(4, two.checked(), "a, b, c, then b again: c pushed out b, the least recently used");
    assertEquals(2, two.remembered());

    JwtVerifier none = verifier(new AuthOptions().setSecret(TestKeys.SECRET).setVerifiedTokens(0));
    none.accept(a, NOW);
    assertEquals("a", none.accept(a, NOW).userId());
    assertEquals(2, none.checked());
    assertEquals(0, none.remembered());
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
