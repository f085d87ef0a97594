package io.wxgateway.common.bus;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/** The primitives of the event-bus codecs' binary form: length-prefixed UTF-8 strings, sequential reads. */
final class Wire {

  private Wire() {
  }

  /** A string as its UTF-8 length and bytes; null as length -1. */
  static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length);
    buffer.appendBytes(bytes);
  }

  /** Sequential reads over a wire buffer. */
  static final class Reader {
    private final Buffer buffer;
    private int pos;

    Reader(Buffer buffer, int pos) {
      this.buffer = buffer;
      this.pos = pos;
    }

    int remaining() {
      return buffer.length() - pos;
    }

    byte readByte() {
      return buffer.getByte(pos++);
    }

    int readInt() {
      int v = buffer.getInt(pos);
      pos += 4;
      return v;
    }

    long readLong() {
      long v = buffer.getLong(pos);
      pos += 8;
      return v;
    }

    String readString() {
      int len = readInt();
      if (len < 0) {
        return null;
      }
      String s = buffer.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    Buffer readBuffer(int len) {
      Buffer b = buffer.getBuffer(pos, pos + len);
      pos += len;
      return b;
    }
  }
}
