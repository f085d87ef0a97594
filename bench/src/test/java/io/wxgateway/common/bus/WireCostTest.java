package io.wxgateway.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The codec measurement runs, and measures round trips that lose nothing; it asserts no figure. */
class WireCostTest {

  @Test
  void everyDeliveryAndAnswerComesBackAndTheRoundIsMeasured() {
    WireCost.Round round = WireCost.measure(10, 50_000_000L);
    assertEquals(round.sent(), round.decoded(), "every delivery and every answer decoded");
    assertTrue(round.allocatedBytes() > 0 && round.cpuNanos() > 0, round.toString());
  }
}
