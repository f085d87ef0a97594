package io.wxgateway.gateway.resume;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wxgateway.common.metrics.WxMeter;

/** The session meters of one node (see {@link WxMeter}); thread-safe. */
public final class SessionMeters {

  private final MeterRegistry registry;
  private final Map<String, Counter> resumes = new ConcurrentHashMap<>();
  private final Counter replayed;
  private final Counter receipts;

  /** Every outcome a resume can have: each counter exists from the start, so a scrape shows them all. */
  static final java.util.List<String> OUTCOMES = java.util.List.of("recovered", "unrecovered", "token-malformed",
      "session-unknown", "token-invalid", "user-mismatch", "session-expired", "session-ended");

  public SessionMeters(MeterRegistry registry) {
    this.registry = registry;
    OUTCOMES.forEach(o -> resumes.put(o, WxMeter.SESSION_RESUMES.counter(registry, o)));
    this.replayed = WxMeter.SESSION_REPLAYED.counter(registry);
    this.receipts = WxMeter.SESSION_RECEIPTS.counter(registry);
  }

  void suspended(Supplier<Integer> count) {
    WxMeter.SESSIONS_SUSPENDED.gauge(registry, count);
  }

  /** A resume's outcome: recovered, unrecovered, or a refusal reason (a fixed set: tags stay few). */
  void resume(String outcome) {
    resumes.computeIfAbsent(outcome, o -> WxMeter.SESSION_RESUMES.counter(registry, o)).increment();
  }

  void replayed(int pushes) {
    replayed.increment(pushes);
  }

  void receipts(int count) {
    receipts.increment(count);
  }
}
