package io.wxgateway.common.options;

import java.util.Locale;
import java.util.Set;

import io.vertx.core.json.JsonObject;

/**
 * How the handshake authenticates: {@code anonymous} (the zero-config default: no user id) or
 * {@code jwt} (a token from {@code Authorization: Bearer} or a query parameter, verified with
 * HS256, RS256 or ES256; a missing or invalid token is refused with 401 before the upgrade).
 */
public class AuthOptions {

  public static final String MODE_ANONYMOUS = "anonymous";
  public static final String MODE_JWT = "jwt";
  public static final String DEFAULT_ALGORITHM = "HS256";
  public static final String DEFAULT_USER_ID_CLAIM = "sub";
  public static final String DEFAULT_TOKEN_QUERY_PARAM = "token";
  private static final Set<String> ALGORITHMS = Set.of("HS256", "RS256", "ES256");

  private String mode = MODE_ANONYMOUS;
  private String algorithm = DEFAULT_ALGORITHM;
  private String secret = "";
  private String publicKeyFile = "";
  private String jwksFile = "";
  private String userIdClaim = DEFAULT_USER_ID_CLAIM;
  private String tokenQueryParam = DEFAULT_TOKEN_QUERY_PARAM;
  private String issuer = "";
  private String audience = "";

  public AuthOptions() {
  }

  public AuthOptions(AuthOptions other) {
    this(other.toJson());
  }

  public AuthOptions(JsonObject json) {
    mode = json.getString("mode", MODE_ANONYMOUS).toLowerCase(Locale.ROOT);
    algorithm = json.getString("algorithm", DEFAULT_ALGORITHM).toUpperCase(Locale.ROOT);
    secret = json.getString("secret", "");
    publicKeyFile = json.getString("publicKeyFile", "");
    jwksFile = json.getString("jwksFile", "");
    userIdClaim = json.getString("userIdClaim", DEFAULT_USER_ID_CLAIM);
    tokenQueryParam = json.getString("tokenQueryParam", DEFAULT_TOKEN_QUERY_PARAM);
    issuer = json.getString("issuer", "");
    audience = json.getString("audience", "");
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode).put("algorithm", algorithm).put("secret", secret)
        .put("publicKeyFile", publicKeyFile).put("jwksFile", jwksFile).put("userIdClaim", userIdClaim)
        .put("tokenQueryParam", tokenQueryParam).put("issuer", issuer).put("audience", audience);
  }

  public boolean isJwt() {
    return MODE_JWT.equals(mode);
  }

  public String getMode() {
    return mode;
  }

  public AuthOptions setMode(String mode) {
    this.mode = mode == null ? MODE_ANONYMOUS : mode.toLowerCase(Locale.ROOT);
    return this;
  }

  /** HS256 (shared {@link #getSecret() secret}), RS256 or ES256 (a public key or a JWKS file). */
  public String getAlgorithm() {
    return algorithm;
  }

  public AuthOptions setAlgorithm(String algorithm) {
    this.algorithm = algorithm == null ? DEFAULT_ALGORITHM : algorithm.toUpperCase(Locale.ROOT);
    return this;
  }

  public String getSecret() {
    return secret;
  }

  public AuthOptions setSecret(String secret) {
    this.secret = secret;
    return this;
  }

  /** PEM public key (RS256 or ES256). */
  public String getPublicKeyFile() {
    return publicKeyFile;
  }

  public AuthOptions setPublicKeyFile(String publicKeyFile) {
    this.publicKeyFile = publicKeyFile;
    return this;
  }

  /** A JSON Web Key Set file ({@code {"keys":[...]}}); keys are chosen by {@code kid}. */
  public String getJwksFile() {
    return jwksFile;
  }

  public AuthOptions setJwksFile(String jwksFile) {
    this.jwksFile = jwksFile;
    return this;
  }

  /** The claim that becomes the user id ({@code ce_userid}). */
  public String getUserIdClaim() {
    return userIdClaim;
  }

  public AuthOptions setUserIdClaim(String userIdClaim) {
    this.userIdClaim = userIdClaim;
    return this;
  }

  /** Query parameter that may carry the token (some clients lose headers); never logged. */
  public String getTokenQueryParam() {
    return tokenQueryParam;
  }

  public AuthOptions setTokenQueryParam(String tokenQueryParam) {
    this.tokenQueryParam = tokenQueryParam;
    return this;
  }

  /** Required {@code iss}; empty accepts any. */
  public String getIssuer() {
    return issuer;
  }

  public AuthOptions setIssuer(String issuer) {
    this.issuer = issuer;
    return this;
  }

  /** Required {@code aud}; empty accepts any. */
  public String getAudience() {
    return audience;
  }

  public AuthOptions setAudience(String audience) {
    this.audience = audience;
    return this;
  }

  /** Checks that the options fit together; the gateway calls it before it starts. */
  public AuthOptions validate() {
    if (!MODE_ANONYMOUS.equals(mode) && !MODE_JWT.equals(mode)) {
      throw new IllegalArgumentException("gateway.auth.mode must be 'anonymous' or 'jwt', was '" + mode + "'");
    }
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("gateway.auth.algorithm must be one of " + ALGORITHMS + ", was " + algorithm);
    }
    if (isJwt() && secret.isEmpty() && publicKeyFile.isEmpty() && jwksFile.isEmpty()) {
      throw new IllegalArgumentException("gateway.auth.mode jwt needs a secret (HS256), a publicKeyFile or a jwksFile");
    }
    return this;
  }
}
