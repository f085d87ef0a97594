package io.wxgateway.common.contract;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 checks: the JDK's lenient decoding would silently turn bad bytes into U+FFFD. */
public final class Utf8 {

  private Utf8() {
  }

  /** Whether {@code bytes} is well-formed UTF-8 (no overlongs, no surrogates, nothing truncated). */
  public static boolean isValid(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return decodes(bytes);
      }
    }
    return true; // pure ASCII, the common case, needs no decoder
  }

  private static boolean decodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
