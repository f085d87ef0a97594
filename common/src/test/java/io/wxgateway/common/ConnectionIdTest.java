package io.wxgateway.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionIdTest {

  @Test
  void carriesItsNodeAndRoundTripsThroughText() {
    ConnectionId id = ConnectionId.generate("gw-1");
    ConnectionId parsed = ConnectionId.parse(id.value());
    assertEquals(id.value(), ConnectionId.requireValid(id.value()));
    assertEquals("gw-1", parsed.nodeId());
    assertEquals(id, parsed);
    assertTrue(id.value().startsWith("gw-1."));
  }

  @Test
  void carriesAtLeast96RandomBits() {
    String random = ConnectionId.generate("n").value().substring(2);
    assertTrue(Base64.getUrlDecoder().decode(random).length * 8 >= 96);
  }

  @Test
  void isUniqueOverManyIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(ConnectionId.generate("n").value());
    }
    assertEquals(100_000, ids.size());
  }

  @Test
  void nodeIdsWithDotsWouldBeAmbiguousAndAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> ConnectionId.generate("a.b"));
    assertThrows(IllegalArgumentException.class, () -> ConnectionId.generate(""));
    assertThrows(IllegalArgumentException.class, () -> ConnectionId.generate("x".repeat(65)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", ".q8F1cJ0pQ2Wk3y9mR4tZ7A", "gw-1.", "gw-1.short", "gw 1.q8F1cJ0pQ2Wk3y9mR4tZ7A",
      "gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7A=", "gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7+", "gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7",
      "gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7AB", "gw-\u00e9.q8F1cJ0pQ2Wk3y9mR4tZ7A", "gw-\u0661.q8F1cJ0pQ2Wk3y9mR4tZ7A",
      "a.b.q8F1cJ0pQ2Wk3y9mR4tZ7\u00c0",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.q8F1cJ0pQ2Wk3y9mR4tZ7A"})
  void parseRefusesWhatIsNotAConnectionId(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectionId.parse(text));
    assertTrue(e.getMessage().startsWith("not a connection id"), e.getMessage());
    assertEquals(e.getMessage(), assertThrows(IllegalArgumentException.class, () -> ConnectionId.requireValid(text))
        .getMessage(), "the check alone refuses the same");
  }

  @Test
  void theLongestNodeIdParses() {
    String nodeId = "x".repeat(64);
    assertEquals(nodeId, ConnectionId.parse(nodeId + ".q8F1cJ0pQ2Wk3y9mR4tZ7A").nodeId());
  }

  @Test
  void twoGeneratedIdsDiffer() {
    assertNotEquals(ConnectionId.generate("n"), ConnectionId.generate("n"));
  }
}
