package io.wxgateway.gateway;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/** Keys and signed tokens made by the test, as an identity provider would make them. */
final class TestKeys {

  static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";

  private final KeyPair keys;
  private final String algorithm;

  private TestKeys(KeyPair keys, String algorithm) {
    this.keys = keys;
    this.algorithm = algorithm;
  }

  static TestKeys rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return new TestKeys(g.generateKeyPair(), "RS256");
  }

  static TestKeys ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return new TestKeys(g.generateKeyPair(), "ES256");
  }

  String publicKeyPem() {
    return pem("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  /** A JWKS document with this (RSA) public key under {@code kid}. */
  JsonObject jwks(String kid) {
    RSAPublicKey rsa = (RSAPublicKey) keys.getPublic();
    return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
        .put("n", b64url(rsa.getModulus())).put("e", b64url(rsa.getPublicExponent()))));
  }

  String token(Vertx vertx, String subject, int expiresInSeconds, String kid) {
    PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(algorithm)
        .setBuffer(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    if (kid != null) {
      key.setId(kid);
    }
    return sign(vertx, new JWTAuthOptions().addPubSecKey(key), algorithm, subject, expiresInSeconds);
  }

  static String hs256(Vertx vertx, String subject, int expiresInSeconds) {
    JWTAuthOptions options = new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET));
    return sign(vertx, options, "HS256", subject, expiresInSeconds);
  }

  private static String sign(Vertx vertx, JWTAuthOptions options, String algorithm, String subject, int expiresIn) {
    JsonObject claims = new JsonObject().put("sub", subject);
    if (expiresIn != 0) {
      claims.put("exp", System.currentTimeMillis() / 1000 + expiresIn); // negative: already expired
    }
    return JWTAuth.create(vertx, options).generateToken(claims, new JWTOptions().setAlgorithm(algorithm));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static String b64url(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes[0] == 0 && bytes.length > 1) {
      byte[] trimmed = new byte[bytes.length - 1];
      System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
      bytes = trimmed;
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
