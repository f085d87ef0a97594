package io.wxgateway.gateway.resume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Session ids and resume tokens: a token is {@code <id>.<secret>}, 128 random bits of id and 256 of
 * secret, base64url; only the SHA-256 of the secret is kept. Tokens are never logged. Thread-safe.
 */
final class SessionTokens {

  /** A token split in its parts. */
  record Token(String sessionId, String secret) {
    String value() {
      return sessionId + '.' + secret;
    }

    @Override
    public String toString() {
      return "Token[" + sessionId + ".***]"; // never the secret
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private SessionTokens() {
  }

  static String newSessionId() {
    return random(16);
  }

  static Token newToken(String sessionId) {
    return new Token(sessionId, random(32));
  }

  /** The token's parts, or null when it is not {@code <id>.<secret>} of the right sizes. */
  static Token parse(String token) {
    int dot = token.indexOf('.');
    if (dot != 22 || token.length() != 22 + 1 + 43 || token.indexOf('.', dot + 1) >= 0) {
      return null;
    }
    String id = token.substring(0, dot);
    String secret = token.substring(dot + 1);
    if (!isBase64Url(id) || !isBase64Url(secret)) {
      return null;
    }
    return new Token(id, secret);
  }

  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code secret} hashes to {@code expectedHash}, in constant time. */
  static boolean matches(String secret, String expectedHash) {
    return expectedHash != null && MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
        expectedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }

  private static boolean isBase64Url(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return true;
  }
}
