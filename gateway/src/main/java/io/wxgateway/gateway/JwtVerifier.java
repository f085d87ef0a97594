package io.wxgateway.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.wxgateway.common.options.AuthOptions;

/**
 * Verifies handshake tokens (JWT, HS256/RS256/ES256) with vertx-auth-jwt and extracts the user id
 * and expiry. Key files are read once, when the node is built (blocking: never on an event loop).
 */
final class JwtVerifier {

  /** Who the token names and until when (epoch milliseconds; 0 when it has no {@code exp}). */
  record Identity(String userId, long expiresAtMillis) {
  }

  private final JWTAuth jwt;
  private final String userIdClaim;

  JwtVerifier(Vertx vertx, AuthOptions options) {
    JWTAuthOptions jwtOptions = new JWTAuthOptions().setJWTOptions(claimsRequired(options));
    String algorithm = options.getAlgorithm();
    if (!options.getSecret().isEmpty()) {
      jwtOptions.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(options.getSecret()));
    }
    if (!options.getPublicKeyFile().isEmpty()) {
      jwtOptions.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(read(options.getPublicKeyFile())));
    }
    if (!options.getJwksFile().isEmpty()) {
      JsonArray keys = new JsonObject(read(options.getJwksFile())).getJsonArray("keys", new JsonArray());
      List<JsonObject> jwks = new ArrayList<>();
      keys.forEach(k -> jwks.add((JsonObject) k));
      jwtOptions.setJwks(jwks);
    }
    this.jwt = JWTAuth.create(vertx, jwtOptions);
    this.userIdClaim = options.getUserIdClaim();
  }

  /** Fails when the token is malformed, badly signed, expired, not yet valid, or names no user. */
  Future<Identity> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token)).compose(user -> {
      // The decoded token; Vert.x keeps exp, iat and nbf out of the principal.
      JsonObject claims = user.attributes().getJsonObject("accessToken", user.principal());
      Object userId = claims.getValue(userIdClaim);
      if (userId == null || userId.toString().isEmpty()) {
        return Future.failedFuture("the token has no '" + userIdClaim + "' claim");
      }
      Long exp = claims.getLong("exp");
      return Future.succeededFuture(new Identity(userId.toString(), exp == null ? 0 : exp * 1000));
    });
  }

  private static JWTOptions claimsRequired(AuthOptions options) {
    JWTOptions jwtOptions = new JWTOptions().setAlgorithm(options.getAlgorithm());
    if (!options.getIssuer().isEmpty()) {
      jwtOptions.setIssuer(options.getIssuer());
    }
    if (!options.getAudience().isEmpty()) {
      jwtOptions.setAudience(List.of(options.getAudience()));
    }
    return jwtOptions;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
