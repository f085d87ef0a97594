package io.wxgateway.common.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class CeTimeTest {

  private final AtomicReference<Instant> clock = new AtomicReference<>();
  private final CeTime time = new CeTime(clock::get);

  @Test
  void theFractionAlwaysHasSixDigitsSoEveryRecordHasTheSameWidth() {
    assertEquals("2026-12-05T15:04:05.000000Z", at("2026-12-05T15:04:05Z"));
    assertEquals("2026-12-05T15:04:05.120000Z", at("2026-12-05T15:04:05.12Z"));
    assertEquals("2026-12-05T15:04:05.999999Z", at("2026-12-05T15:04:05.999999999Z"));
  }

  @Test
  void theCachedSecondIsReformattedWhenTheClockMovesOnOrBack() {
    assertEquals("2026-12-31T23:59:59.900000Z", at("2026-12-31T23:59:59.9Z"));
    assertEquals("2027-01-01T00:00:00.100000Z", at("2027-01-01T00:00:00.1Z"));
    assertEquals("2026-12-31T23:59:59.950000Z", at("2026-12-31T23:59:59.95Z")); // NTP stepped back
  }

  @Test
  void everyValueParsesBackToTheClocksInstantTruncatedToMicroseconds() {
    Instant start = Instant.parse("1999-12-31T23:59:58.123456789Z");
    for (long step = 0; step < 5_000; step++) {
      Instant instant = start.plusNanos(step * 777_777L);
      String text = at(instant.toString());
      assertEquals(instant.truncatedTo(ChronoUnit.MICROS), Instant.parse(text), text);
    }
  }

  private String at(String instant) {
    clock.set(Instant.parse(instant));
    return new String(time.now(), StandardCharsets.US_ASCII);
  }
}
