package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The token measurement runs for every algorithm, both ways, and every token is accepted; it asserts no figure. */
class TokenCostTest {

  @Test
  void everyAlgorithmsTokensAreAcceptedCheckedAndRemembered() {
    List<TokenCost.Row> rows = TokenCost.measure(5, 2);
    assertEquals(List.of("HS256", "HS256", "RS256", "RS256", "ES256", "ES256"),
        rows.stream().map(TokenCost.Row::algorithm).toList());
    for (TokenCost.Row row : rows) {
      assertEquals(10, row.accepted(), row.toString());
      assertTrue(row.cpuMicros() >= 0, row.toString());
    }
  }
}
