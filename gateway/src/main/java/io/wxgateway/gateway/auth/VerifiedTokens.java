package io.wxgateway.gateway.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tokens this node verified lately, with the identity each names. A mini program keeps its token
 * and reconnects with it, so in a reconnect storm (a phone network switching cells) nearly every
 * handshake brings a token the node verified minutes before; a hit skips the parse, the JSON and the
 * signature check, which were a tenth of the event loops' time in {@code bench/run storm}.
 *
 * <p>Keyed by the whole compact token, signature included: only the very bytes that passed are found,
 * and the keys they passed with never change while the node runs ({@link JwtKeys} reads them once).
 * What can change is the time: a hit past the token's {@code exp} plus the leeway is dropped and the
 * token is checked again (and refused as expired). {@code nbf} and {@code iat} only move towards
 * valid as the clock advances; the one exception is a wall clock stepped back by more than the
 * leeway, under which a remembered token stays accepted that a check would now call not yet valid,
 * for no longer than the step. A token without {@code exp} is remembered until it is pushed out.
 *
 * <p>Bounded by {@code gateway.auth.verifiedTokens}; the least recently used entry leaves first.
 * Shared by every event loop under one monitor held for a single map operation (no I/O, no waiting
 * on anything but another loop's lookup of a few hundred nanoseconds).
 */
final class VerifiedTokens {

  private final int capacity;
  private final Map<String, JwtVerifier.Identity> tokens;

  VerifiedTokens(int capacity) {
    this.capacity = capacity;
    this.tokens = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, JwtVerifier.Identity> eldest) {
        return size() > VerifiedTokens.this.capacity;
      }
    };
  }

  /** The identity {@code token} was verified as, or null when it was not or has expired since. */
  synchronized JwtVerifier.Identity get(String token, long nowMillis) {
    if (capacity == 0 || token == null) {
      return null;
    }
    JwtVerifier.Identity identity = tokens.get(token);
    if (identity != null && identity.expiresAtMillis() != 0 && nowMillis >= identity.expiresAtMillis()) {
      tokens.remove(token);
      return null;
    }
    return identity;
  }

  /** Remembers a token that passed every check of {@link JwtVerifier}. */
  synchronized void put(String token, JwtVerifier.Identity identity) {
    if (capacity > 0) {
      tokens.put(token, identity);
    }
  }

  synchronized int size() {
    return tokens.size();
  }
}
