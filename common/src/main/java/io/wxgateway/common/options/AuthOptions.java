package io.wxgateway.common.options;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.json.JsonObject;

/**
 * How the handshake authenticates: {@code anonymous} (the zero-config default: no user id) or
 * {@code jwt} (a token from {@code Authorization: Bearer} or a query parameter, verified with
 * HS256, RS256 or ES256; a missing or invalid token is refused with 401 before the upgrade).
 *
 * <p>{@link #validate()} checks what can be checked without reading a file; the gateway reads the
 * key files when it is built and refuses to start when a key does not fit the allowed algorithms.
 */
public class AuthOptions {

  public static final String MODE_ANONYMOUS = "anonymous";
  public static final String MODE_JWT = "jwt";
  public static final String DEFAULT_ALGORITHM = "HS256";
  public static final String DEFAULT_USER_ID_CLAIM = "sub";
  public static final String DEFAULT_TOKEN_QUERY_PARAM = "token";
  /** Seconds of clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; 0 tolerates none. */
  public static final int DEFAULT_LEEWAY_SECONDS = 60;
  /** RFC 7518 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;
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
  private int leewaySeconds = DEFAULT_LEEWAY_SECONDS;

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
    leewaySeconds = json.getInteger("leewaySeconds", DEFAULT_LEEWAY_SECONDS);
    validate();
  }

  public JsonObject toJson() {
    return new JsonObject().put("mode", mode).put("algorithm", algorithm).put("secret", secret)
        .put("publicKeyFile", publicKeyFile).put("jwksFile", jwksFile).put("userIdClaim", userIdClaim)
        .put("tokenQueryParam", tokenQueryParam).put("issuer", issuer).put("audience", audience)
        .put("leewaySeconds", leewaySeconds);
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

  /**
   * The algorithms a token may be signed with: HS256 (shared {@link #getSecret() secret}), RS256 or
   * ES256 (a public key or a JWKS file), or several of them comma-separated ({@code RS256,ES256}).
   */
  public String getAlgorithm() {
    return algorithm;
  }

  /** {@link #getAlgorithm()} as a list, in the order given. */
  public List<String> getAlgorithms() {
    return Arrays.stream(algorithm.split(",")).map(String::trim).filter(a -> !a.isEmpty()).distinct().toList();
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

  /**
   * A JSON Web Key Set file ({@code {"keys":[...]}}); keys are chosen by {@code kid}. Keys not for
   * signatures, of another algorithm or of an unsupported type are skipped; none left is an error.
   */
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

  /** Seconds of clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; also delays the 4001 close. */
  public int getLeewaySeconds() {
    return leewaySeconds;
  }

  public AuthOptions setLeewaySeconds(int leewaySeconds) {
    this.leewaySeconds = leewaySeconds;
    return this;
  }

  /** Checks that the options fit together; the gateway calls it before it starts. */
  public AuthOptions validate() {
    if (!MODE_ANONYMOUS.equals(mode) && !MODE_JWT.equals(mode)) {
      throw new IllegalArgumentException("gateway.auth.mode must be 'anonymous' or 'jwt', was '" + mode + "'");
    }
    List<String> algorithms = getAlgorithms();
    if (algorithms.isEmpty() || !ALGORITHMS.containsAll(algorithms)) {
      throw new IllegalArgumentException("gateway.auth.algorithm must be one or more (comma-separated) of "
          + ALGORITHMS + ", was " + algorithm);
    }
    if (leewaySeconds < 0) {
      throw new IllegalArgumentException("gateway.auth.leewaySeconds must be 0 or more, was " + leewaySeconds);
    }
    if (isJwt()) {
      validateKeySources(algorithms);
    }
    return this;
  }

  private void validateKeySources(List<String> algorithms) {
    if (secret.isEmpty() && publicKeyFile.isEmpty() && jwksFile.isEmpty()) {
      throw new IllegalArgumentException("gateway.auth.mode jwt needs a secret (HS256), a publicKeyFile or a jwksFile");
    }
    if (!secret.isEmpty() && !algorithms.contains("HS256")) {
      throw new IllegalArgumentException("gateway.auth.secret is an HS256 secret but gateway.auth.algorithm is "
          + algorithm + ": add HS256 to gateway.auth.algorithm or remove the secret");
    }
    if (!secret.isEmpty() && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("gateway.auth.secret must be at least " + MIN_SECRET_BYTES
          + " bytes (256 bits) for HS256, was " + secret.getBytes(StandardCharsets.UTF_8).length);
    }
  }
}
