package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.process.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key configuration that does not fit the allowed algorithms, or leaves no usable key, stops the
 * gateway before it listens, with a message naming the setting. Before, such a node started: with an
 * empty key set it accepted unsigned ({@code alg: none}) tokens, and with the default HS256 and only
 * a public key it used the public key's PEM text as an HMAC secret anyone could sign with.
 */
class JwtKeyConfigurationTest {

  @TempDir
  Path dir;

  @Test
  void keySetsWithNoUsableKeyAreRefusedAtStartup() throws Exception {
    TestKeys rsa = TestKeys.rsa();
    JsonObject rsaKey = rsa.jwks("k1").getJsonArray("keys").getJsonObject(0);
    assertRefused(jwks("{\"keys\":[]}"), "gateway.auth.jwksFile holds no key usable for RS256");
    assertRefused(jwks(new JsonObject().put("keys", new JsonArray().add(rsaKey.copy().put("use", "enc")))),
        "use 'enc'");
    assertRefused(jwks(new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "OKP")
        .put("crv", "Ed25519").put("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")))), "kty 'OKP'");
    assertRefused(jwks(rsaKey), "gateway.auth.jwksFile must be a JWK Set");
    assertRefused(jwks("not json"), "gateway.auth.jwksFile is not a JSON object");
  }

  @Test
  void aPublicKeyUnderTheDefaultHs256IsRefusedNamingBothSettings() throws Exception {
    Path pem = Files.writeString(dir.resolve("rsa.pem"), TestKeys.rsa().publicKeyPem());
    assertRefused(new AuthOptions().setMode("jwt").setPublicKeyFile(pem.toString()),
        "gateway.auth.publicKeyFile holds an RSA public key but gateway.auth.algorithm is HS256");
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("ES256").setPublicKeyFile(pem.toString()),
        "gateway.auth.publicKeyFile holds an RSA public key but gateway.auth.algorithm is ES256");
    Path ec = Files.writeString(dir.resolve("ec.pem"), TestKeys.ec().publicKeyPem());
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setPublicKeyFile(ec.toString()),
        "gateway.auth.publicKeyFile holds an EC P-256 public key but gateway.auth.algorithm is RS256");
  }

  @Test
  void aJwksIsHeldToTheConfiguredAlgorithm() throws Exception {
    Path ecSet = Files.writeString(dir.resolve("ec.json"), TestKeys.ec().ecJwks("e1").encode());
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setJwksFile(ecSet.toString()),
        "is an ES256 key but gateway.auth.algorithm is RS256");
    Path rsaSet = Files.writeString(dir.resolve("rsa.json"), TestKeys.rsa().jwks("r1").encode());
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("RS256,ES256").setJwksFile(rsaSet.toString()),
        "gateway.auth.algorithm allows ES256 but no configured key is an EC P-256 public key");
  }

  @Test
  void secretsAndOtherKeyMaterialThatCannotBeRightAreRefused() throws Exception {
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setSecret(TestKeys.SECRET),
        "gateway.auth.secret is an HS256 secret but gateway.auth.algorithm is RS256");
    assertRefused(new AuthOptions().setMode("jwt").setSecret("short"), "gateway.auth.secret must be at least 32 bytes");
    Path privateKey = Files.writeString(dir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(new byte[64]) + "\n-----END PRIVATE KEY-----\n");
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setPublicKeyFile(privateKey.toString()),
        "never give the gateway a private key");
    assertRefused(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setPublicKeyFile(dir.resolve("none").toString()),
        "gateway.auth.publicKeyFile: cannot read");
    IllegalArgumentException leeway = assertThrows(IllegalArgumentException.class, () -> new AuthOptions(
        new JsonObject().put("mode", "jwt").put("secret", TestKeys.SECRET).put("leewaySeconds", -1)));
    assertTrue(leeway.getMessage().contains("gateway.auth.leewaySeconds"), leeway.getMessage());
  }

  private AuthOptions jwks(Object content) throws Exception {
    String text = content instanceof JsonObject json ? json.encode() : content.toString();
    Path file = Files.writeString(Files.createTempFile(dir, "jwks", ".json"), text);
    return new AuthOptions().setMode("jwt").setAlgorithm("RS256").setJwksFile(file.toString());
  }

  /** Builds and deploys a node: it must refuse, with a message that contains {@code expected}. */
  private static void assertRefused(AuthOptions auth, String expected) {
    Vertx vertx = Vertx.vertx();
    try {
      GatewayOptions options = new GatewayOptions().setNodeId("gw-keys").setHost("127.0.0.1")
          .setPort(Ports.free()).setInstances(1).setAuth(auth);
      // Never reached when the node refuses, and a node that starts needs no broker to fail the test.
      KafkaOptions kafka = new KafkaOptions().setBootstrapServers("127.0.0.1:9");
      new GatewayNode(options, kafka, new SimpleMeterRegistry()).deploy(vertx).await();
      fail("the gateway started with " + auth.toJson().put("secret", "…").encode());
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    } finally {
      vertx.close().await();
    }
  }
}
