package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A phase's drain: a backlog still arriving is late, not lost; silence ends it. */
class PhaseDrainTest {

  private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(400);

  private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    deliveries.shutdownNow();
  }

  @Test
  void aBacklogThatKeepsArrivingIsWaitedForPastTheQuietTime() throws Exception {
    Phase phase = new Phase("drain", "closed", 0, TimeUnit.SECONDS.toNanos(30), 0);
    long intended = phase.measureFrom;
    phase.onSent(intended, 20);
    // one every 100 ms, 20 and no more: 2 s in all, five times the quiet time, never quiet for that long
    AtomicInteger delivered = new AtomicInteger();
    deliveries.scheduleAtFixedRate(() -> {
      if (delivered.getAndIncrement() < 20) {
        phase.onReceived(intended, intended, Clock.nanos());
      }
    }, 100, 100, TimeUnit.MILLISECONDS);
    phase.drain(QUIET);
    assertEquals(20, phase.received.sum(), "every late delivery waited for");
  }

  @Test
  void nothingArrivingEndsTheDrainAfterTheQuietTime() {
    Phase phase = new Phase("drain", "closed", 0, TimeUnit.SECONDS.toNanos(30), 0);
    phase.onSent(phase.measureFrom, 5);
    assertTimeoutPreemptively(Duration.ofNanos(QUIET * 4), () -> phase.drain(QUIET), "not the whole cap");
    assertEquals(0, phase.received.sum());
    assertTrue(phase.stopped, "the phase stops sending");
  }
}
