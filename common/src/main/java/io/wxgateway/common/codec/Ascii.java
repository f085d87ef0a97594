package io.wxgateway.common.codec;

/** Decimal digits written straight into a header's bytes, without a String between. */
final class Ascii {

  private Ascii() {
  }

  /** How many digits {@code value} (0 or more) has. */
  static int digits(long value) {
    int n = 1;
    while (value >= 10) {
      value /= 10;
      n++;
    }
    return n;
  }

  /** Writes {@code value} (0 or more) as exactly {@code width} digits at {@code offset}, zero-padded. */
  static void putDigits(byte[] dst, int offset, int width, long value) {
    for (int i = offset + width - 1; i >= offset; i--) {
      dst[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** {@code value} (0 or more) as its decimal digits. */
  static byte[] of(long value) {
    byte[] out = new byte[digits(value)];
    putDigits(out, 0, out.length, value);
    return out;
  }
}
