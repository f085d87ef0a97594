package io.wxgateway.common;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A globally unique connection id that names its owning gateway node, so a delivery needs no lookup.
 *
 * <p>Text form: {@code <node id>.<128 random bits, base64url without padding>}, for example
 * {@code gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7A}. Node ids are 1 to 64 characters of {@code [A-Za-z0-9_-]}, so
 * the last dot always separates the two parts. Thread-safe.
 */
public final class ConnectionId {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern RANDOM_PART = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final int RANDOM_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();
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
    RANDOM.nextBytes(random);
    return new ConnectionId(nodeId, nodeId + '.' + ENCODER.encodeToString(random));
  }

  /**
   * Parses the text form.
   *
   * @throws IllegalArgumentException when {@code text} is not a connection id
   */
  public static ConnectionId parse(String text) {
    Objects.requireNonNull(text, "text");
    int dot = text.lastIndexOf('.');
    if (dot <= 0 || !NODE_ID.matcher(text.substring(0, dot)).matches()
        || !RANDOM_PART.matcher(text.substring(dot + 1)).matches()) {
      throw new IllegalArgumentException("not a connection id: '" + abbreviate(text) + "'");
    }
    return new ConnectionId(text.substring(0, dot), text);
  }

  public static boolean isValidNodeId(String nodeId) {
    return nodeId != null && NODE_ID.matcher(nodeId).matches();
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
