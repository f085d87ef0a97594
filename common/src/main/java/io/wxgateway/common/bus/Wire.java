package io.wxgateway.common.bus;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;

/**
 * The primitives of the event-bus codecs' binary form: length-prefixed UTF-8 strings, sequential reads.
 * Where the buffer is Vert.x's own heap buffer (every clustered message is), strings are written into
 * and read from its bytes directly, without a byte[] in between: a batch of deliveries carries three
 * strings each, once for every node it goes to.
 */
final class Wire {

  private Wire() {
  }

  /**
   * Makes room for {@code bytes} more bytes at once. Vert.x starts a clustered message at 1 KB and
   * doubles it whenever an append overflows: a batch of a few hundred deliveries went through six
   * copies of itself before it reached the socket.
   */
  static void reserve(Buffer buffer, int bytes) {
    if (buffer instanceof BufferImpl impl) {
      impl.byteBuf().ensureWritable(bytes);
    }
  }

  /** A string as its UTF-8 length and bytes; null as length -1. */
  static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
    } else if (buffer instanceof BufferImpl impl) {
      ByteBuf bytes = impl.byteBuf(); // appends to it are appends to the Buffer: its length is their writer index
      bytes.writeInt(ByteBufUtil.utf8Bytes(s));
      ByteBufUtil.writeUtf8(bytes, s);
    } else {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(bytes.length);
      buffer.appendBytes(bytes);
    }
  }

  /** What {@link #writeString} writes for {@code s}, near enough to reserve room (exact for ASCII). */
  static int sizeOf(String s) {
    return Integer.BYTES + (s == null ? 0 : s.length());
  }

  /** Sequential reads over a wire buffer. */
  static final class Reader {
    private final Buffer buffer;
    private final ByteBuf bytes;
    private int pos;

    /** {@code pos} is absolute, as in {@link Buffer#getInt(int)}. */
    Reader(Buffer buffer, int pos) {
      this.buffer = buffer;
      this.bytes = buffer instanceof BufferImpl impl ? impl.byteBuf() : null;
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
      if (len > remaining()) {
        throw new IndexOutOfBoundsException("a string of " + len + " bytes at " + pos + ", " + remaining() + " left");
      }
      String s = bytes != null ? bytes.toString(pos, len, StandardCharsets.UTF_8)
          : buffer.getString(pos, pos + len, "UTF-8");
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
