package io.wxgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.gateway.auth.Hs256Tokens;

/**
 * The tokens of benchmark users, of the algorithm {@code --token-algorithm} names, and the settings
 * that make an in-process runtime verify them: HS256 with the bench's secret, or RS256 (RSA 2048) and
 * ES256 (P-256) with a key pair made for the run, its public key in a PEM file the runtime reads.
 * What a token costs the gateway depends on it: an ES256 signature takes the JDK far longer to check
 * than an HS256 one. Thread-safe.
 */
final class Jwt {

  /** HS256 secret of in-process runtimes started with authentication. */
  static final String SECRET = "wx-bench-secret-that-is-long-enough-for-hs256-0123456789";

  final String algorithm;
  private final KeyPair keys;
  private final Path publicKeyFile;

  private Jwt(String algorithm, KeyPair keys, Path publicKeyFile) {
    this.algorithm = algorithm;
    this.keys = keys;
    this.publicKeyFile = publicKeyFile;
  }

  /** HS256, RS256 or ES256; the asymmetric ones get a key pair of their own and a PEM file, deleted on exit. */
  static Jwt of(String algorithm) {
    if (algorithm.equals("HS256")) {
      return new Jwt(algorithm, null, null);
    }
    if (!algorithm.equals("RS256") && !algorithm.equals("ES256")) {
      throw new IllegalArgumentException("--token-algorithm is HS256, RS256 or ES256, not " + algorithm);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.equals("RS256") ? "RSA" : "EC");
      generator.initialize(algorithm.equals("RS256") ? 2048 : 256);
      KeyPair keys = generator.generateKeyPair();
      Path pem = Files.createTempFile("wx-bench-" + algorithm.toLowerCase(java.util.Locale.ROOT) + "-", ".pem");
      pem.toFile().deleteOnExit();
      Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
      return new Jwt(algorithm, keys, pem);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The runtime's settings that verify these tokens. */
  void configure(Map<String, String> env) {
    env.put("WXGW_GATEWAY_AUTH_MODE", "jwt");
    env.put("WXGW_GATEWAY_AUTH_ALGORITHM", algorithm);
    if (keys == null) {
      env.put("WXGW_GATEWAY_AUTH_SECRET", SECRET);
    } else {
      env.put("WXGW_GATEWAY_AUTH_PUBLIC_KEY_FILE", publicKeyFile.toString());
    }
  }

  /** The gateway's options that verify these tokens, as {@link #configure} sets them. */
  AuthOptions authOptions() {
    AuthOptions options = new AuthOptions().setMode("jwt").setAlgorithm(algorithm);
    return keys == null ? options.setSecret(SECRET) : options.setPublicKeyFile(publicKeyFile.toString());
  }

  /** A token naming {@code subject}, valid for {@code ttlSeconds}. */
  String sign(String subject, long ttlSeconds) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", subject).put("iat", now).put("exp", now + ttlSeconds);
    if (keys == null) {
      return Hs256Tokens.sign(claims, SECRET);
    }
    String input = base64(new JsonObject().put("alg", algorithm).put("typ", "JWT").encode()) + "."
        + base64(claims.encode());
    try {
      Signature signer = Signature.getInstance(algorithm.equals("RS256") ? "SHA256withRSA"
          : "SHA256withECDSAinP1363Format");
      signer.initSign(keys.getPrivate());
      signer.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
