package io.wxgateway.gateway;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
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
public final class TestKeys {

  public static final String SECRET = "a-test-secret-that-is-long-enough-for-hs256";

  private final KeyPair keys;
  private final String algorithm;

  private TestKeys(KeyPair keys, String algorithm) {
    this.keys = keys;
    this.algorithm = algorithm;
  }

  public static TestKeys rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return new TestKeys(g.generateKeyPair(), "RS256");
  }

  public static TestKeys ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return new TestKeys(g.generateKeyPair(), "ES256");
  }

  public String publicKeyPem() {
    return pem("PUBLIC KEY", keys.getPublic().getEncoded());
  }

  /** A JWKS document with this (RSA) public key under {@code kid}. */
  public JsonObject jwks(String kid) {
    RSAPublicKey rsa = (RSAPublicKey) keys.getPublic();
    return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("kty", "RSA").put("kid", kid).put("use", "sig").put("alg", "RS256")
        .put("n", b64url(rsa.getModulus())).put("e", b64url(rsa.getPublicExponent()))));
  }

  /** A JWKS document with this EC (P-256) public key under {@code kid}. */
  public JsonObject ecJwks(String kid) {
    ECPublicKey ec = (ECPublicKey) keys.getPublic();
    return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("kty", "EC").put("crv", "P-256").put("kid", kid).put("use", "sig")
        .put("x", b64url(ec.getW().getAffineX(), 32)).put("y", b64url(ec.getW().getAffineY(), 32))));
  }

  /** A token with exactly this header and these claims, signed with the private key (JOSE signature format). */
  public String sign(JsonObject header, JsonObject claims) {
    String input = b64url(header) + "." + b64url(claims);
    try {
      Signature signer = Signature.getInstance("RS256".equals(algorithm) ? "SHA256withRSA"
          : "SHA256withECDSAinP1363Format");
      signer.initSign(keys.getPrivate());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64url(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
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

  private static String b64url(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    byte[] fixed = new byte[length];
    int copy = Math.min(bytes.length, length);
    System.arraycopy(bytes, bytes.length - copy, fixed, length - copy, copy);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
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
