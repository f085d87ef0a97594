package io.wxgateway.gateway.session;

import java.nio.charset.StandardCharsets;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The frames of the session protocol {@code wx.session.v1} (docs/sessions.md): a header line, one
 * compact JSON object, optionally followed by {@code \n} and a body. Parsing builds a JsonObject (a
 * client frame is rare next to pushes); the push header, written for every push, is built by hand.
 * Stateless and thread-safe.
 */
public final class SessionFrames {

  /** The subprotocol a client offers to speak the session protocol. */
  public static final String PROTOCOL = "wx.session.v1";
  /** The close code of a session protocol error. */
  public static final short PROTOCOL_ERROR = 4400;
  /** The close code of a socket whose session was resumed on another socket. */
  public static final short RESUMED_ELSEWHERE = 4409;
  public static final String HEARTBEAT = "{\"t\":\"hb\"}";

  /** A client frame: its header and where its body starts in the frame's bytes (the length when it has none). */
  public record Frame(JsonObject header, int bodyOffset) {
    public String type() {
      return header.getString("t");
    }
  }

  /** A frame that is not a header line. */
  public static final class BadFrame extends Exception {
    BadFrame(String reason) {
      super(reason, null, false, false);
    }
  }

  private SessionFrames() {
  }

  public static Frame parse(byte[] bytes) throws BadFrame {
    int newline = indexOf(bytes, (byte) '\n');
    int end = newline < 0 ? bytes.length : newline;
    JsonObject header;
    try {
      Object value = io.vertx.core.json.Json.decodeValue(new String(bytes, 0, end, StandardCharsets.UTF_8));
      if (!(value instanceof JsonObject object)) {
        throw new BadFrame("frame is not a header line");
      }
      header = object;
    } catch (DecodeException | ClassCastException e) {
      throw new BadFrame("frame is not a header line");
    }
    if (!(header.getValue("t") instanceof String)) {
      throw new BadFrame("frame has no type");
    }
    return new Frame(header, newline < 0 ? bytes.length : newline + 1);
  }

  /** The header line of a push (without the newline): {@code {"t":"push","p":"0:15","id":"…"}}. */
  public static String pushHeader(String position, String id, boolean replay) {
    StringBuilder b = new StringBuilder(64).append("{\"t\":\"push\"");
    if (position != null) {
      b.append(",\"p\":\"").append(position).append('"');
    }
    if (id != null) {
      b.append(",\"id\":");
      quote(b, id);
    }
    if (replay) {
      b.append(",\"replay\":true");
    }
    return b.append('}').toString();
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    b.append('"');
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
