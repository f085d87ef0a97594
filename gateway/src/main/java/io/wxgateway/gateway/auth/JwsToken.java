package io.wxgateway.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A token in JWS compact serialisation, split and decoded strictly: exactly three non-empty
 * base64url parts (no padding), a JSON object header and a JSON object payload. Says nothing about
 * the signature; {@link JwtVerifier} checks it.
 */
record JwsToken(JsonObject header, JsonObject claims, byte[] signingInput, byte[] signature) {

  /** The {@code typ} values of a token meant to authenticate (RFC 7519 5.1, RFC 9068 2.1), lower case. */
  private static final Set<String> TYPES = Set.of("jwt", "application/jwt", "at+jwt", "application/at+jwt");

  /** Why a token is refused; the client only ever hears 401, the reason goes to the debug log. */
  static final class Rejected extends Exception {
    Rejected(String reason) {
      super(reason, null, false, false);
    }
  }

  static JwsToken parse(String compact) throws Rejected {
    String[] parts = compact.split("\\.", -1);
    if (parts.length != 3) {
      throw new Rejected(parts.length + " parts, a signed JWT has 3 (an unsecured or encrypted token is never accepted)");
    }
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new Rejected("an empty part (no signature?)");
      }
    }
    JsonObject header = json(decode(parts[0]), "header");
    JsonObject claims = json(decode(parts[1]), "payload");
    return new JwsToken(header, claims, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
        decode(parts[2]));
  }

  /** The header's {@code alg}, which must be one of {@code allowed}: {@code none} never is. */
  String algorithm(Iterable<String> allowed) throws Rejected {
    if (!(header.getValue("alg") instanceof String alg)) {
      throw new Rejected("no alg");
    }
    for (String a : allowed) {
      if (a.equals(alg)) {
        return alg;
      }
    }
    throw new Rejected("alg '" + alg + "' is not allowed");
  }

  /** The header's {@code kid}, or null; a {@code kid} that is not a string is refused. */
  String keyId() throws Rejected {
    Object kid = header.getValue("kid");
    if (kid != null && !(kid instanceof String)) {
      throw new Rejected("kid is not a string");
    }
    return (String) kid;
  }

  /** Refuses extensions (the gateway understands none, RFC 7515 4.1.11) and tokens typed for another use. */
  void checkHeader() throws Rejected {
    if (header.containsKey("crit")) {
      throw new Rejected("crit names extensions the gateway does not understand");
    }
    Object typ = header.getValue("typ");
    if (typ != null && !(typ instanceof String t && TYPES.contains(t.toLowerCase(Locale.ROOT)))) {
      throw new Rejected("typ '" + typ + "' is not a JWT meant for authentication");
    }
  }

  private static byte[] decode(String part) throws Rejected {
    if (part.indexOf('=') >= 0) {
      throw new Rejected("base64url with padding");
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new Rejected("not base64url");
    }
  }

  private static JsonObject json(byte[] bytes, String what) throws Rejected {
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new Rejected("the " + what + " is not a JSON object");
    }
  }
}
