package io.wxgateway.gateway.auth;

import java.math.BigInteger;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.wxgateway.common.metrics.WxMeter;
import io.wxgateway.common.options.AuthOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies handshake tokens: JWS compact serialisation, HS256/RS256/ES256, with the keys of
 * {@link JwtKeys}. In this order, so that nothing of the token is trusted before its signature:
 * the {@code alg} must be in {@code gateway.auth.algorithm} ({@code none} never is), the header may
 * carry no {@code crit} and no foreign {@code typ}, a key of that algorithm (and {@code kid}, when
 * both have one) must verify the signature; then {@code exp}, {@code nbf} and {@code iat} are
 * checked with {@code gateway.auth.leewaySeconds}, then {@code iss}, {@code aud} and the user id.
 * Keys embedded in a token ({@code jwk}, {@code jku}, {@code x5c}, {@code x5u}) are never used.
 * A token that passed is remembered ({@link VerifiedTokens}): the same token again is accepted
 * without these checks until its {@code exp} plus the leeway. Thread-safe; verifying does not block.
 */
public final class JwtVerifier {

  private static final Logger LOG = LoggerFactory.getLogger(JwtVerifier.class);

  /**
   * Who the token names and until when the gateway accepts it: epoch milliseconds of {@code exp}
   * plus the leeway, 0 when the token has no {@code exp}.
   */
  public record Identity(String userId, long expiresAtMillis) {
  }

  private final List<VerificationKey> keys;
  private final AuthOptions options;
  private final List<String> allowed;
  private final long leewayMillis;
  private final VerifiedTokens verified;
  private final Counter checkedCount;
  private final Counter rememberedCount;

  /**
   * Reads the key files: blocking, call when the node is built. Refuses a key set that does not fit.
   * {@code checked} and {@code remembered} count the tokens accepted after the checks and those
   * accepted from {@link VerifiedTokens}.
   */
  public JwtVerifier(AuthOptions options, Counter checked, Counter remembered) {
    this.keys = JwtKeys.load(options);
    this.options = options;
    this.allowed = options.getAlgorithms();
    this.leewayMillis = options.getLeewaySeconds() * 1000L;
    this.verified = new VerifiedTokens(options.getVerifiedTokens());
    this.checkedCount = checked;
    this.rememberedCount = remembered;
  }

  /** A verifier whose counts go to a registry of its own (tests). */
  JwtVerifier(AuthOptions options) {
    this(options, WxMeter.AUTH_TOKENS.counter(new SimpleMeterRegistry(), "checked"),
        WxMeter.AUTH_TOKENS.counter(new SimpleMeterRegistry(), "remembered"));
  }

  /** Fails when the token is malformed, not signed by a configured key, expired, not yet valid, or names no user. */
  public Future<Identity> verify(String token) {
    try {
      return Future.succeededFuture(accept(token, System.currentTimeMillis()));
    } catch (JwsToken.Rejected | RuntimeException e) {
      LOG.debug("token refused: {}", e.getMessage());
      return Future.failedFuture(e);
    }
  }

  /** {@link #check}, unless the same token passed it before and has not expired since. */
  Identity accept(String token, long nowMillis) throws JwsToken.Rejected {
    Identity known = verified.get(token, nowMillis);
    if (known != null) {
      rememberedCount.increment();
      return known;
    }
    Identity identity = check(token, nowMillis);
    verified.put(token, identity);
    checkedCount.increment();
    return identity;
  }

  /** Tokens accepted after the checks, and from the remembered ones. */
  double checked() {
    return checkedCount.count();
  }

  double remembered() {
    return rememberedCount.count();
  }

  Identity check(String compact, long nowMillis) throws JwsToken.Rejected {
    JwsToken token = JwsToken.parse(compact);
    String alg = token.algorithm(allowed);
    token.checkHeader();
    String kid = token.keyId();
    List<VerificationKey> candidates = keys.stream().filter(k -> k.answersTo(alg, kid)).toList();
    if (candidates.isEmpty()) {
      throw new JwsToken.Rejected("no " + alg + " key" + (kid == null ? "" : " with kid '" + kid + "'"));
    }
    if (candidates.stream().noneMatch(k -> k.verifies(token.signingInput(), token.signature()))) {
      throw new JwsToken.Rejected("bad signature");
    }
    Long exp = time(token, "exp");
    if (exp != null && nowMillis >= exp + leewayMillis) {
      throw new JwsToken.Rejected("expired");
    }
    Long nbf = time(token, "nbf");
    if (nbf != null && nowMillis + leewayMillis < nbf) {
      throw new JwsToken.Rejected("not valid yet (nbf)");
    }
    Long iat = time(token, "iat");
    if (iat != null && iat > nowMillis + leewayMillis) {
      throw new JwsToken.Rejected("issued in the future (iat)");
    }
    checkIssuerAndAudience(token);
    return new Identity(userId(token), exp == null ? 0 : exp + leewayMillis);
  }

  private void checkIssuerAndAudience(JwsToken token) throws JwsToken.Rejected {
    if (!options.getIssuer().isEmpty() && !options.getIssuer().equals(token.claims().getValue("iss"))) {
      throw new JwsToken.Rejected("wrong iss");
    }
    if (!options.getAudience().isEmpty()) {
      Object aud = token.claims().getValue("aud");
      boolean match = aud instanceof JsonArray list ? list.contains(options.getAudience())
          : options.getAudience().equals(aud);
      if (!match) {
        throw new JwsToken.Rejected("wrong aud");
      }
    }
  }

  private String userId(JwsToken token) throws JwsToken.Rejected {
    Object value = token.claims().getValue(options.getUserIdClaim());
    boolean integral = value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    if (!(value instanceof String || integral) || value.toString().isEmpty()) {
      throw new JwsToken.Rejected("the '" + options.getUserIdClaim() + "' claim is missing or not a string");
    }
    return value.toString();
  }

  /** A NumericDate claim in epoch milliseconds, or null when absent; anything but a number is refused. */
  private static Long time(JwsToken token, String claim) throws JwsToken.Rejected {
    Object value = token.claims().getValue(claim);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      throw new JwsToken.Rejected(claim + " is not a NumericDate");
    }
    double millis = n.doubleValue() * 1000;
    return (long) Math.floor(Math.max(-Long.MAX_VALUE / 2.0, Math.min(Long.MAX_VALUE / 2.0, millis)));
  }
}
