package io.wxgateway.common.options;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * How the handshake authenticates: {@code anonymous} (the zero-config default: no user id) or
 * {@code jwt} (a token from {@code Authorization: Bearer} or a query parameter, verified with
 * HS256, RS256 or ES256; a missing or invalid token is refused with 401 before the upgrade).
 *
 * <p>{@link #validate()} checks what can be checked without reading a file; the gateway reads the
 * key files when it is built and refuses to start when a key does not fit the allowed algorithms.
 * Text settings are empty by default; empty issuer or audience accepts any.
 */
@DataObject
@JsonGen(publicConverter = false)
public class AuthOptions {

  public static final String MODE_ANONYMOUS = "anonymous";
  public static final String MODE_JWT = "jwt";
  /** {@code anonymous} (no user id) or {@code jwt}. */
  public static final String DEFAULT_MODE = MODE_ANONYMOUS;
  /** One or more (comma-separated) of HS256, RS256, ES256. */
  public static final String DEFAULT_ALGORITHM = "HS256";
  public static final String DEFAULT_USER_ID_CLAIM = "sub";
  public static final String DEFAULT_TOKEN_QUERY_PARAM = "token";
  /** Seconds of clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; 0 tolerates none. */
  public static final int DEFAULT_LEEWAY_SECONDS = 60;
  /**
   * Tokens a node remembers as verified, so that a socket reconnecting with the same token skips the
   * signature check (about half a kilobyte each with a 300-character token); 0 remembers none.
   */
  public static final int DEFAULT_VERIFIED_TOKENS = 10_000;
  /** RFC 7518 3.2: an HS256 key must be at least as long as the hash, 256 bits. */
  public static final int MIN_SECRET_BYTES = 32;

  private String mode = DEFAULT_MODE;
  private String algorithm = DEFAULT_ALGORITHM;
  private String secret = "";
  private String publicKeyFile = "";
  private String jwksFile = "";
  private String userIdClaim = DEFAULT_USER_ID_CLAIM;
  private String tokenQueryParam = DEFAULT_TOKEN_QUERY_PARAM;
  private String issuer = "";
  private String audience = "";
  private int leewaySeconds = DEFAULT_LEEWAY_SECONDS;
  private int verifiedTokens = DEFAULT_VERIFIED_TOKENS;

  public AuthOptions() {
  }

  /** A copy as it is, checked or not. */
  public AuthOptions(AuthOptions other) {
    AuthOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public AuthOptions(JsonObject json) {
    AuthOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    AuthOptionsConverter.toJson(this, json);
    return json;
  }

  /**
   * Refuses options that break a rule of {@link OptionsValidator} (which reads no file), naming the
   * setting; the gateway calls it before it starts.
   */
  public AuthOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  @GenIgnore
  public boolean isJwt() {
    return MODE_JWT.equals(mode);
  }

  public String getMode() {
    return mode;
  }

  public AuthOptions setMode(String mode) {
    this.mode = mode == null ? DEFAULT_MODE : mode.toLowerCase(Locale.ROOT);
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
  @GenIgnore
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
    this.secret = Values.text(secret);
    return this;
  }

  /** PEM public key (RS256 or ES256). */
  public String getPublicKeyFile() {
    return publicKeyFile;
  }

  public AuthOptions setPublicKeyFile(String publicKeyFile) {
    this.publicKeyFile = Values.text(publicKeyFile);
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
    this.jwksFile = Values.text(jwksFile);
    return this;
  }

  /** The claim that becomes the user id ({@code ce_userid}). */
  public String getUserIdClaim() {
    return userIdClaim;
  }

  public AuthOptions setUserIdClaim(String userIdClaim) {
    this.userIdClaim = Values.text(userIdClaim);
    return this;
  }

  /** Query parameter that may carry the token (some clients lose headers); never logged. */
  public String getTokenQueryParam() {
    return tokenQueryParam;
  }

  public AuthOptions setTokenQueryParam(String tokenQueryParam) {
    this.tokenQueryParam = Values.text(tokenQueryParam);
    return this;
  }

  /** Required {@code iss}; empty accepts any. */
  public String getIssuer() {
    return issuer;
  }

  public AuthOptions setIssuer(String issuer) {
    this.issuer = Values.text(issuer);
    return this;
  }

  /** Required {@code aud}; empty accepts any. */
  public String getAudience() {
    return audience;
  }

  public AuthOptions setAudience(String audience) {
    this.audience = Values.text(audience);
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

  /**
   * How many verified tokens the node remembers (the least recently used leaves first): a token seen
   * again is accepted without its signature check until its {@code exp} plus the leeway; 0: none.
   */
  public int getVerifiedTokens() {
    return verifiedTokens;
  }

  public AuthOptions setVerifiedTokens(int verifiedTokens) {
    this.verifiedTokens = verifiedTokens;
    return this;
  }
}
