package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The per-stage CPU of a phase, from this JVM's own Flight Recorder samples: a busy window is split
 * into every stage, and a window with no sample says so in the report instead of leaving the
 * breakdown out (a smoke phase of a second on a loaded machine can have none).
 */
class StageProfileTest {

  private final CpuMeter cpu = new CpuMeter(name -> false);

  @Test
  void aBusyWindowIsSplitIntoEveryStage() {
    try (StageProfile profile = StageProfile.startIfUseful(BenchOptions.parse("relay"), true)) {
      assertNotNull(profile, "a recording starts for an in-process runtime");
      Phase phase = phaseWithOneMessage();
      phase.wallFrom = Instant.now();
      spin(Duration.ofMillis(400)); // a running Java thread: sampled every 10 ms
      phase.wallTo = Instant.now();
      PhaseResult r = phase.result();
      profile.attach(phase, r, cpu);
      JsonObject stages = r.extra.getJsonObject("cpuByStage");
      assertTrue(stages.getLong("samples") > 0, "the spinning thread was sampled: " + stages);
      assertEquals(Set.copyOf(Stages.ALL), stages.getJsonObject("microsPerMessage").fieldNames());
      assertTrue(StageProfile.line(r).contains("CPU µs per message by stage"), StageProfile.line(r));
    }
  }

  @Test
  void aWindowWithoutSamplesSaysSo() {
    try (StageProfile profile = StageProfile.startIfUseful(BenchOptions.parse("relay"), true)) {
      Phase phase = phaseWithOneMessage();
      phase.wallFrom = Instant.now().minus(Duration.ofHours(2)); // before the recording began
      phase.wallTo = phase.wallFrom.plusSeconds(1);
      PhaseResult r = phase.result();
      profile.attach(phase, r, cpu);
      JsonObject stages = r.extra.getJsonObject("cpuByStage");
      assertNotNull(stages, "the report keeps the breakdown's place");
      assertEquals(0L, stages.getLong("samples"));
      assertFalse(stages.containsKey("microsPerMessage"), "no figures made up from no samples");
      assertTrue(StageProfile.line(r).contains("no CPU by stage: no execution sample"), StageProfile.line(r));
    }
  }

  @Test
  void notStartedWhereNothingRunsInProcessOrWhenTurnedOff() {
    assertEquals(null, StageProfile.startIfUseful(BenchOptions.parse("relay"), false));
    assertEquals(null, StageProfile.startIfUseful(BenchOptions.parse("relay", "--no-stages"), true));
  }

  private static Phase phaseWithOneMessage() {
    Phase phase = new Phase("stages", "closed", 0, Duration.ofSeconds(1).toNanos(), 0);
    phase.onSent(phase.measureFrom, 1);
    phase.onReceived(phase.measureFrom, phase.measureFrom, Clock.nanos());
    return phase;
  }

  private static void spin(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    assertTrue(x >= 0);
  }
}
