package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.auth.Hs256Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's corpus of handshake tokens against a gateway that verifies RS256 with a JWKS (kid
 * {@code key-1}): each one is refused with 401 before the upgrade, no socket opens for it, and a
 * socket opened before the attack is still served.
 */
class HostileTokenTest {

  private static final String KID = "key-1";
  private GatewayTestSupport gw;
  private TestKeys idp;

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void everyHostileTokenGets401BeforeTheUpgrade(@TempDir Path dir) throws Exception {
    idp = TestKeys.rsa();
    Path jwks = Files.writeString(dir.resolve("jwks.json"), idp.jwks(KID).encode());
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(1).setAuth(new AuthOptions().setMode("jwt")
        .setAlgorithm("RS256").setJwksFile(jwks.toString())));
    TestSocket bystander = TestSocket.connect(gw.vertx, gw.port, "/ws", bearer(idp.sign(jose("RS256"), claims())));
    assertEquals("victim", header(KafkaTestBroker.awaitRecords(gw.inbound, r -> true, 1, Duration.ofSeconds(20))
        .get(0), "ce_userid"), "the IdP's own token is accepted");

    Map<String, MultiMap> corpus = corpus(idp.publicKeyPem());
    List<String> accepted = new ArrayList<>();
    corpus.forEach((name, request) -> {
      try {
        int status = status(request);
        if (status != 401) {
          accepted.add(name + ": " + status);
        }
      } catch (AssertionError | RuntimeException e) {
        accepted.add(name + ": " + e.getMessage());
      }
    });
    assertEquals(List.of(), accepted, "hostile tokens that were not refused with 401");
    assertEquals(corpus.size(), gw.counter("wx.handshakes.rejected", "reason", "unauthorized"));
    assertEquals(1, gw.node.registry().size(), "only the bystander is open");
    gw.assertServed(bystander);
  }

  private Map<String, MultiMap> corpus(String publicKeyPem) throws Exception {
    JsonObject none = new JsonObject().put("alg", "none");
    String unsignedClaims = b64(none) + "." + b64(claims());
    Map<String, MultiMap> c = new LinkedHashMap<>();
    c.put("alg none, empty signature", bearer(unsignedClaims + "."));
    c.put("alg none, two parts, in the query", query(unsignedClaims));
    c.put("alg none, three parts, in the query", query(unsignedClaims + "."));
    c.put("alg none with a signature", bearer(unsignedClaims + "." + b64(new JsonObject())));
    c.put("alg NONE", bearer(b64(new JsonObject().put("alg", "NONE")) + "." + b64(claims()) + "."));
    c.put("HS256 with the public key PEM as secret", bearer(Hs256Tokens.sign(jose("HS256"), claims(),
        publicKeyPem.getBytes(StandardCharsets.UTF_8))));
    c.put("RS384 not allowed", bearer(idp.sign(jose("RS384"), claims())));
    c.put("PS256 not allowed", bearer(idp.sign(jose("PS256"), claims())));
    c.put("no alg", bearer(idp.sign(new JsonObject().put("kid", KID), claims())));
    c.put("unknown kid", bearer(idp.sign(jose("RS256").put("kid", "key-2"), claims())));
    c.put("kid not a string", bearer(idp.sign(jose("RS256").put("kid", 1), claims())));
    c.put("crit extension", bearer(idp.sign(jose("RS256").put("crit", List.of("exp")).put("exp", 1), claims())));
    c.put("b64 false", bearer(idp.sign(jose("RS256").put("b64", false).put("crit", List.of("b64")), claims())));
    c.put("typ of another use", bearer(idp.sign(jose("RS256").put("typ", "dpop+jwt"), claims())));
    c.put("another key's signature", bearer(TestKeys.rsa().sign(jose("RS256"), claims())));
    c.put("embedded jwk of the attacker", bearer(attackerEmbeddingItsKey()));
    String valid = idp.sign(jose("RS256"), claims());
    c.put("truncated signature", bearer(valid.substring(0, valid.length() - 4)));
    c.put("four parts", bearer(valid + "." + b64(new JsonObject())));
    c.put("five parts (JWE)", bearer(valid + ".x.y"));
    c.put("padded base64", bearer(valid + "=="));
    c.put("exp a string", bearer(idp.sign(jose("RS256"), claims().put("exp", "never"))));
    c.put("expired past the leeway", bearer(idp.sign(jose("RS256"), claims().put("exp", now() - 600))));
    c.put("nbf past the leeway", bearer(idp.sign(jose("RS256"), claims().put("nbf", now() + 600))));
    c.put("iat in the future", bearer(idp.sign(jose("RS256"), claims().put("iat", now() + 600))));
    c.put("no sub", bearer(idp.sign(jose("RS256"), new JsonObject().put("exp", now() + 600))));
    c.put("sub an object", bearer(idp.sign(jose("RS256"), claims().put("sub", new JsonObject().put("id", 1)))));
    c.put("header not JSON", bearer(b64("alg") + "." + b64(claims()) + ".c2ln"));
    String other = idp.sign(jose("RS256"), claims().put("sub", "someone-else"));
    c.put("header and query disagree", bearer(valid).add("X-Query", other));
    c.put("two Authorization headers", bearer(valid).add("Authorization", "Bearer " + other));
    return c;
  }

  /** A token signed by the attacker's own key, which it also puts in the header for the verifier to "use". */
  private String attackerEmbeddingItsKey() throws Exception {
    TestKeys attacker = TestKeys.rsa();
    JsonObject jwk = attacker.jwks(KID).getJsonArray("keys").getJsonObject(0);
    return attacker.sign(jose("RS256").put("jwk", jwk), claims());
  }

  private int status(MultiMap request) {
    String uri = "/ws";
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request);
    if (headers.contains("X-Query")) {
      uri += "?token=" + headers.get("X-Query");
      headers.remove("X-Query");
    }
    return TestSocket.rejectedStatus(gw.vertx, TestSocket.connectOptions(gw.port, uri).setHeaders(headers));
  }

  private static JsonObject jose(String alg) {
    return new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", KID);
  }

  private static JsonObject claims() {
    return new JsonObject().put("sub", "victim").put("exp", now() + 600);
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static MultiMap bearer(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
  }

  private static MultiMap query(String token) {
    return MultiMap.caseInsensitiveMultiMap().add("X-Query", token);
  }

  private static String b64(JsonObject json) {
    return TestKeys.b64url(json);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
