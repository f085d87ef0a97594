package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * The bench's messages: {@code <client>:<seq>:<intended nanos>:<sent nanos>:} in ASCII, padded with
 * {@code x} to the payload size, so they are valid text and valid binary alike and the echo carries
 * both times back: when the message was due (open loop, for coordinated-omission-corrected latency) and
 * when it actually left. Times are {@link System#nanoTime()} of this JVM; every round trip starts and
 * ends here.
 */
final class Payloads {

  /** A parsed message; {@code client < 0} when the bytes are not a bench message. */
  static final class Parsed {
    int client = -1;
    long seq;
    long intended;
    long sent;

    boolean valid() {
      return client >= 0;
    }
  }

  private final int size;
  private final String padding;

  Payloads(int size) {
    this.size = size;
    this.padding = "x".repeat(Math.max(0, size));
  }

  String text(int client, long seq, long intended, long sent) {
    StringBuilder b = new StringBuilder(Math.max(size, 64));
    b.append(client).append(':').append(seq).append(':').append(intended).append(':').append(sent).append(':');
    if (b.length() < size) {
      b.append(padding, 0, size - b.length());
    }
    return b.toString();
  }

  byte[] bytes(int client, long seq, long intended, long sent) {
    return text(client, seq, intended, sent).getBytes(StandardCharsets.US_ASCII);
  }

  private static final ThreadLocal<Parsed> PARSED = ThreadLocal.withInitial(Parsed::new);

  /** {@code b} parsed into this thread's reusable {@link Parsed}; null for a message not of the bench (a heartbeat). */
  static Parsed parse(Buffer b) {
    Parsed parsed = PARSED.get();
    return parse(b, parsed) ? parsed : null;
  }

  static boolean parse(Buffer b, Parsed out) {
    return parse(b.getBytes(0, Math.min(b.length(), 80)), out);
  }

  /** Parses the four leading fields; false when {@code data} is not a bench message. */
  static boolean parse(byte[] data, Parsed out) {
    out.client = -1;
    long[] fields = new long[4];
    int field = 0;
    long v = 0;
    boolean digits = false;
    for (int i = 0; i < data.length && field < 4; i++) {
      byte c = data[i];
      if (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        digits = true;
      } else if (c == ':' && digits) {
        fields[field++] = v;
        v = 0;
        digits = false;
      } else {
        return false;
      }
    }
    if (field < 4) {
      return false;
    }
    out.client = (int) fields[0];
    out.seq = fields[1];
    out.intended = fields[2];
    out.sent = fields[3];
    return true;
  }
}
