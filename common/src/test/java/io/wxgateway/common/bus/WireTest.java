package io.wxgateway.common.bus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** The wire form of strings stays what nodes of earlier versions write and read. */
class WireTest {

  private static final List<String> STRINGS = List.of("", "gw-a.0f3c", "用户-42", "emoji \uD83D\uDE00 ok",
      "lone \uD800 surrogate", "x".repeat(5_000));

  @Test
  void stringsAreTheirUtf8LengthAndBytesAsTheJdkEncodesThem() throws IOException {
    Buffer wire = Buffer.buffer(16).appendByte((byte) 7);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(expected);
    out.writeByte(7);
    for (String s : STRINGS) {
      Wire.writeString(wire, s);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }
    Wire.writeString(wire, null);
    out.writeInt(-1);
    assertArrayEquals(expected.toByteArray(), wire.getBytes());
  }

  @Test
  void stringsReadBackFromAnyPositionAndNullStaysNull() {
    Buffer wire = Buffer.buffer("prefix");
    STRINGS.forEach(s -> Wire.writeString(wire, s));
    Wire.writeString(wire, null);
    Wire.Reader r = new Wire.Reader(wire, "prefix".length());
    for (String s : STRINGS) {
      assertEquals(s.replace('\uD800', '?'), r.readString());
    }
    assertNull(r.readString());
    assertEquals(0, r.remaining());
  }

  @Test
  void reservingRoomChangesNothingThatIsRead() {
    Buffer wire = Buffer.buffer(4).appendInt(42);
    Wire.reserve(wire, 100_000);
    Wire.writeString(wire, "after");
    assertEquals(4 + 4 + 5, wire.length());
    Wire.Reader r = new Wire.Reader(wire, 0);
    assertEquals(42, r.readInt());
    assertEquals("after", r.readString());
  }

  @Test
  void aLengthPastTheEndIsRefusedNotReadOutOfBounds() {
    Buffer wire = Buffer.buffer().appendInt(1_000).appendString("short");
    assertThrows(IndexOutOfBoundsException.class, () -> new Wire.Reader(wire, 0).readString());
  }
}
