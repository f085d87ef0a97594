package io.wxgateway.common;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A globally unique connection id that names its owning gateway node, so a delivery needs no lookup.
 *
 * <p>Text form: {@code <node id>.<128 random bits, base64url without padding>}, for example
 * {@code gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7A}. Node ids are 1 to 64 characters of {@code [A-Za-z0-9_-]}, so
 * the last dot always separates the two parts. Thread-safe. Parsed once or twice per outbound record
 * by connection: checked by a loop over the characters, not a regular expression.
 */
public final class ConnectionId {

  private static final int MAX_NODE_ID = 64;
  private static final int RANDOM_CHARS = 22;
  private static final int RANDOM_BYTES = 16;
  /**
   * One generator per thread: the default one (NativePRNG) serialises every caller on one lock, the
   * event loops of a handshake storm among them. Each thread's is a DRBG of its own, seeded from the
   * system's entropy, so the ids stay as unguessable.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(ConnectionId::newRandom);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final String nodeId;
  private final String value;

  private ConnectionId(String nodeId, String value) {
    this.nodeId = nodeId;
    this.value = value;
  }

  /** A fresh id owned by {@code nodeId}. */
  public static ConnectionId generate(String nodeId) {
    requireValidNodeId(nodeId);
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.get().nextBytes(random);
    return new ConnectionId(nodeId, nodeId + '.' + ENCODER.encodeToString(random));
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException when {@code text} is not a connection id
   */
  public static ConnectionId parse(String text) {
    String valid = requireValid(text);
    return new ConnectionId(valid.substring(0, valid.lastIndexOf('.')), valid);
  }

  /**
   * {@code text} when it is a connection id, as {@link #parse} would take it, without the parts it
   * makes: for a caller that only checks (the outbound decoder, once per record by connection).
   *
   * @throws IllegalArgumentException when {@code text} is not a connection id
   */
  public static String requireValid(String text) {
    Objects.requireNonNull(text, "text");
    if (!isValid(text)) {
      throw new IllegalArgumentException("not a connection id: '" + abbreviate(text) + "'");
    }
    return text;
  }

  /** Whether {@code text} is a connection id, as {@link #parse} would take it; false for null. */
  public static boolean isValid(String text) {
    if (text == null) {
      return false;
    }
    int dot = text.lastIndexOf('.');
    return dot > 0 && dot <= MAX_NODE_ID && text.length() - dot - 1 == RANDOM_CHARS && idChars(text, 0, dot)
        && idChars(text, dot + 1, text.length());
  }

  public static boolean isValidNodeId(String nodeId) {
    return nodeId != null && !nodeId.isEmpty() && nodeId.length() <= MAX_NODE_ID && idChars(nodeId, 0, nodeId.length());
  }

  /** Whether {@code text[from, to)} is all {@code [A-Za-z0-9_-]} (base64url's alphabet too). */
  private static boolean idChars(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public static String requireValidNodeId(String nodeId) {
    if (!isValidNodeId(nodeId)) {
      throw new IllegalArgumentException(
          "node id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-', was '" + nodeId + "'");
    }
    return nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  public String value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConnectionId && ((ConnectionId) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
