package io.wxgateway.gateway.auth;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.AuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a JSON Web Key Set (RFC 7517) into the keys the gateway can verify with. A key that is not
 * for signatures ({@code use}, {@code key_ops}), of an algorithm not allowed, of an unsupported
 * type or malformed is skipped with a warning; a set that leaves no key is refused, never treated
 * as "no signature needed".
 */
final class JwkSet {

  private static final Logger LOG = LoggerFactory.getLogger(JwkSet.class);
  static final String SETTING = "gateway.auth.jwksFile";

  private JwkSet() {
  }

  static List<VerificationKey> parse(String text, List<String> allowed) {
    JsonArray keys = keysOf(text);
    List<VerificationKey> usable = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      String name = "key " + (i + 1);
      try {
        if (!(keys.getValue(i) instanceof JsonObject jwk)) {
          throw new IllegalArgumentException("is not a JSON object");
        }
        name = jwk.getValue("kid") == null ? name : "key '" + jwk.getValue("kid") + "'";
        usable.add(key(jwk, allowed));
      } catch (IllegalArgumentException | ClassCastException e) {
        skipped.add(name + " " + e.getMessage());
      }
    }
    skipped.forEach(s -> LOG.warn("{}: skipped {}", SETTING, s));
    if (usable.isEmpty()) {
      throw new IllegalArgumentException(SETTING + " holds no key usable for " + String.join(",", allowed)
          + (skipped.isEmpty() ? " (its \"keys\" are empty)" : ": " + String.join("; ", skipped)));
    }
    return usable;
  }

  private static JsonArray keysOf(String text) {
    try {
      Object keys = new JsonObject(text).getValue("keys");
      if (keys instanceof JsonArray array) {
        return array;
      }
    } catch (DecodeException e) {
      throw new IllegalArgumentException(SETTING + " is not a JSON object: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(SETTING + " must be a JWK Set, {\"keys\": [...]}; a single JWK goes inside "
        + "\"keys\"");
  }

  private static VerificationKey key(JsonObject jwk, List<String> allowed) {
    String use = jwk.getString("use");
    if (use != null && !"sig".equals(use)) {
      throw new IllegalArgumentException("is for use '" + use + "', not 'sig'");
    }
    JsonArray ops = jwk.getJsonArray("key_ops");
    if (ops != null && !ops.contains("verify")) {
      throw new IllegalArgumentException("has key_ops " + ops.encode() + " without 'verify'");
    }
    String kty = jwk.getString("kty");
    String implied = switch (kty == null ? "" : kty) {
      case "RSA" -> "RS256";
      case "EC" -> "ES256";
      case "oct" -> "HS256";
      default -> throw new IllegalArgumentException("has kty '" + kty + "'; supported: RSA, EC (P-256), oct");
    };
    String alg = jwk.getString("alg", implied);
    if (!alg.equals(implied)) {
      throw new IllegalArgumentException("has alg '" + alg + "', which the gateway does not verify with a " + kty
          + " key");
    }
    if (!allowed.contains(alg)) {
      throw new IllegalArgumentException("is an " + alg + " key but gateway.auth.algorithm is " + String.join(",", allowed));
    }
    String kid = jwk.getString("kid");
    return new VerificationKey(kid, alg, switch (alg) {
      case "RS256" -> checked(rsa(jwk), alg);
      case "ES256" -> checked(ec(jwk), alg);
      default -> secret(jwk);
    }, SETTING);
  }

  private static PublicKey checked(PublicKey key, String alg) {
    String actual = PublicKeys.algorithmOf(key, "the key");
    if (!actual.equals(alg)) {
      throw new IllegalArgumentException("is not " + PublicKeys.describe(alg));
    }
    return key;
  }

  private static PublicKey rsa(JsonObject jwk) {
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(number(jwk, "n"), number(jwk, "e")));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("is not a valid RSA key: " + e.getMessage(), e);
    }
  }

  private static PublicKey ec(JsonObject jwk) {
    if (!"P-256".equals(jwk.getString("crv"))) {
      throw new IllegalArgumentException("is on curve '" + jwk.getString("crv") + "'; ES256 needs P-256");
    }
    try {
      ECPoint point = new ECPoint(number(jwk, "x"), number(jwk, "y"));
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, PublicKeys.p256Params()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("is not a valid P-256 key: " + e.getMessage(), e);
    }
  }

  private static SecretKeySpec secret(JsonObject jwk) {
    byte[] k = bytes(jwk, "k");
    if (k.length < AuthOptions.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("has a " + k.length + "-byte secret; HS256 needs at least "
          + AuthOptions.MIN_SECRET_BYTES);
    }
    return new SecretKeySpec(k, "HmacSHA256");
  }

  private static BigInteger number(JsonObject jwk, String member) {
    return new BigInteger(1, bytes(jwk, member));
  }

  private static byte[] bytes(JsonObject jwk, String member) {
    String value = jwk.getString(member);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("lacks '" + member + "'");
    }
    return Base64.getUrlDecoder().decode(value);
  }
}
