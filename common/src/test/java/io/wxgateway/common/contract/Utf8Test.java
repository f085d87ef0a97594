package io.wxgateway.common.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The in-place check agrees with the JDK's strict decoder, on the edges of every rule and on random bytes. */
class Utf8Test {

  @Test
  void theEdgesOfEveryRule() {
    assertTrue(Utf8.isValid(new byte[0]));
    assertTrue(Utf8.isValid("ascii, 你好, é, €, 😀".getBytes(StandardCharsets.UTF_8)));
    assertTrue(valid(0xC2, 0x80));
    assertFalse(valid(0xC1, 0xBF), "overlong two-byte");
    assertFalse(valid(0xE0, 0x9F, 0xBF), "overlong three-byte");
    assertTrue(valid(0xE0, 0xA0, 0x80));
    assertTrue(valid(0xED, 0x9F, 0xBF));
    assertFalse(valid(0xED, 0xA0, 0x80), "a surrogate");
    assertFalse(valid(0xF0, 0x8F, 0xBF, 0xBF), "overlong four-byte");
    assertTrue(valid(0xF4, 0x8F, 0xBF, 0xBF));
    assertFalse(valid(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF");
    assertFalse(valid(0xF5, 0x80, 0x80, 0x80));
    assertFalse(valid(0x80), "a lone continuation");
    assertFalse(valid(0xE4, 0xBD), "truncated");
    assertFalse(valid(0x61, 0xF0, 0x9F, 0x98), "truncated at the end");
    assertFalse(valid(0xE4, 0x41, 0xA0), "a non-continuation inside");
  }

  @Test
  void agreesWithTheJdkOnRandomBytes() {
    Random random = new Random(14);
    int[] pool = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
        0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    int validSeen = 0;
    for (int round = 0; round < 200_000; round++) {
      byte[] bytes = new byte[random.nextInt(7)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : pool[random.nextInt(pool.length)]);
      }
      boolean jdk = jdk(bytes);
      validSeen += jdk ? 1 : 0;
      assertEquals(jdk, Utf8.isValid(bytes), () -> java.util.HexFormat.of().formatHex(bytes));
    }
    assertTrue(validSeen > 1000, "the random bytes reach the valid side too");
  }

  private static boolean valid(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    assertEquals(jdk(bytes), Utf8.isValid(bytes), "the JDK's decoder agrees");
    return Utf8.isValid(bytes);
  }

  private static boolean jdk(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
