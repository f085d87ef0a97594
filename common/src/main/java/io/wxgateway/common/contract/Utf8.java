package io.wxgateway.common.contract;

/** Strict UTF-8 checks: the JDK's lenient decoding would silently turn bad bytes into U+FFFD. */
public final class Utf8 {

  private Utf8() {
  }

  /**
   * Whether {@code bytes} is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF,
   * nothing truncated): Unicode's table 3-7, as the JDK's decoder with REPORT checks it. Checked in
   * place: every text record and every inbound text message asks, and a decoder and its CharBuffer
   * per non-ASCII message were garbage of twice the message's size.
   */
  public static boolean isValid(byte[] bytes) {
    int i = 0;
    int n = bytes.length;
    while (i < n) {
      int b = bytes[i];
      if (b >= 0) { // ASCII, the common case
        i++;
        continue;
      }
      b &= 0xFF;
      int more;
      int lo = 0x80;
      int hi = 0xBF; // the range of the second byte; the others are always 80-BF
      if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        if (b == 0xE0) {
          lo = 0xA0; // no overlong three-byte forms
        } else if (b == 0xED) {
          hi = 0x9F; // no surrogates
        }
      } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        if (b == 0xF0) {
          lo = 0x90; // no overlong four-byte forms
        } else if (b == 0xF4) {
          hi = 0x8F; // nothing above U+10FFFF
        }
      } else {
        return false; // a continuation byte first, C0/C1 (overlong) or F5-FF
      }
      if (i + more >= n) {
        return false; // truncated
      }
      int second = bytes[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return false;
      }
      for (int k = 2; k <= more; k++) {
        if ((bytes[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += more + 1;
    }
    return true;
  }
}
