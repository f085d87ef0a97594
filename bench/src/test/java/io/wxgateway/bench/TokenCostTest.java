package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The token measurement runs for every algorithm, both ways, and counts its tokens right; it asserts no figure. */
class TokenCostTest {

  @Test
  void everyAlgorithmsTokensAreAcceptedCheckedAndRemembered() {
    List<TokenCost.Row> rows = TokenCost.measure(5, 2);
    assertEquals(List.of("HS256", "HS256", "RS256", "RS256", "ES256", "ES256"),
        rows.stream().map(TokenCost.Row::algorithm).toList());
    for (TokenCost.Row row : rows) {
      // Two rounds of five: remembered, the second round comes from memory; off, every token is checked.
      assertEquals(row.remembered() ? 5 : 10, row.checked(), row.toString());
      assertEquals(row.remembered() ? 5 : 0, row.fromMemory(), row.toString());
      assertTrue(row.cpuMicros() >= 0, row.toString());
    }
  }

  @Test
  void aRememberedTokenHoldsAtLeastItsCharactersOnTheHeap() {
    TokenCost.Heap heap = TokenCost.heapPerToken(2_000);
    assertTrue(heap.tokenLength() > 250, heap.toString());
    // Latin-1 strings take a byte a character: the heap held must be at least the tokens themselves.
    assertTrue(heap.bytesPerToken() > heap.tokenLength(), heap.toString());
  }

  @Test
  void oneRoundIsRefusedForItWouldRememberNothing() {
    assertThrows(IllegalArgumentException.class, () -> TokenCost.measure(5, 1));
  }
}
