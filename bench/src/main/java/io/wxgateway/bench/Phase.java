package io.wxgateway.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One measured stretch of load. Messages due before {@link #measureFrom} warm up and are not counted;
 * messages due in {@code [measureFrom, end)} are counted and their latency recorded; none are sent
 * after {@link #end}. Latency is recorded twice, in microseconds: from the time the message was due
 * (coordinated-omission corrected; in a closed loop due and sent are the same) and from the time it
 * actually left (the service time, which hides a stalled sender). Thread-safe.
 */
final class Phase {

  /** 1 µs .. 10 min at 3 significant digits. */
  static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
  /** The longest drain, in {@code --drain} periods without any message. */
  static final int MAX_DRAIN_QUIET_PERIODS = 12;

  final String label;
  final String mode;
  /** When the phase was created; messages due earlier belong to an earlier phase. */
  final long start;
  final long measureFrom;
  final long end;
  final double offeredRate;
  final Recorder latency = new Recorder(1, HIGHEST_MICROS, 3);
  final Recorder service = new Recorder(1, HIGHEST_MICROS, 3);
  final LongAdder sent = new LongAdder();
  final LongAdder received = new LongAdder();
  final LongAdder sentTotal = new LongAdder();
  final LongAdder receivedTotal = new LongAdder();
  final LongAdder errors = new LongAdder();
  /** Measured messages the bridge dead-lettered, by {@code ce_deliveryerror} ({@link DeadLetterWatch}). */
  final java.util.concurrent.ConcurrentHashMap<String, LongAdder> deadLettered = new java.util.concurrent.ConcurrentHashMap<>();
  volatile String firstError;
  private final Histogram latencyTotal = new Histogram(1, HIGHEST_MICROS, 3);
  private final Histogram serviceTotal = new Histogram(1, HIGHEST_MICROS, 3);
  volatile boolean stopped;
  /** Wall-clock bounds of the measured part, for the Flight Recorder's samples ({@link StageProfile}). */
  volatile java.time.Instant wallFrom;
  volatile java.time.Instant wallTo;
  private volatile CpuMeter.Snapshot cpuStart;
  private volatile CpuMeter.Snapshot cpuEnd;
  private volatile java.util.Map<String, Long> netStart = java.util.Map.of();
  private volatile java.util.Map<String, Long> netEnd = java.util.Map.of();
  private volatile KafkaFetches.Count fetchStart = new KafkaFetches.Count(0, 0);
  private volatile KafkaFetches.Count fetchEnd = new KafkaFetches.Count(0, 0);

  /**
   * @param warmupNanos unmeasured lead-in; {@code durationNanos} measured after it
   * @param offeredRate messages/s of an open loop, 0 for a closed loop
   */
  Phase(String label, String mode, long warmupNanos, long durationNanos, double offeredRate) {
    this.label = label;
    this.mode = mode;
    long now = Clock.nanos();
    this.start = now;
    this.measureFrom = now + warmupNanos;
    this.end = measureFrom + durationNanos;
    this.offeredRate = offeredRate;
  }

  /** True for messages this phase sent (late answers to an earlier phase are not). */
  boolean owns(long intendedNanos) {
    return intendedNanos >= start;
  }

  boolean isMeasured(long intendedNanos) {
    return intendedNanos >= measureFrom && intendedNanos < end;
  }

  /** True while messages may still be sent (not past the end, not stopped). */
  boolean sending(long nowNanos) {
    return !stopped && nowNanos < end;
  }

  void onSent(long intendedNanos) {
    onSent(intendedNanos, 1);
  }

  /** {@code count} messages expected back for one sent (fanout: deliveries of one record). */
  void onSent(long intendedNanos, int count) {
    sentTotal.add(count);
    if (isMeasured(intendedNanos)) {
      sent.add(count);
    }
  }

  /** A message came back (or was delivered) at {@code nowNanos}. */
  void onReceived(long intendedNanos, long sentNanos, long nowNanos) {
    receivedTotal.increment();
    if (isMeasured(intendedNanos)) {
      received.increment();
      latency.recordValue(clamp((nowNanos - intendedNanos) / 1000));
      service.recordValue(clamp((nowNanos - sentNanos) / 1000));
    }
  }

  /** The bridge dead-lettered a message this phase sent, for {@code reason}. */
  void onDeadLetter(String reason, long intendedNanos) {
    if (isMeasured(intendedNanos)) {
      deadLettered.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }
  }

  void onError(Throwable t) {
    errors.increment();
    if (firstError == null) {
      firstError = String.valueOf(t);
    }
  }

  void cpuStart(CpuMeter.Snapshot s) {
    cpuStart = s;
    wallFrom = java.time.Instant.now();
    netStart = NetStat.read();
    fetchStart = KafkaFetches.read();
  }

  void cpuEnd(CpuMeter.Snapshot s) {
    cpuEnd = s;
    wallTo = java.time.Instant.now();
    netEnd = NetStat.read();
    fetchEnd = KafkaFetches.read();
  }

  private static long clamp(long micros) {
    return Math.max(1, Math.min(HIGHEST_MICROS, micros));
  }

  /** Sleeps until the measured part begins, then records the CPU start, then until the end. */
  void runThrough(CpuMeter cpu) throws InterruptedException {
    sleepUntil(measureFrom);
    cpuStart(cpu.snapshot());
    sleepUntil(end);
    cpuEnd(cpu.snapshot());
  }

  /**
   * Waits until every measured message came back, or none came back for {@code quietNanos}, and at
   * most {@link #MAX_DRAIN_QUIET_PERIODS} times that: a round that fell seconds behind (an open loop
   * above what the pipeline sustains) is still delivering its backlog, and what arrives late is late,
   * not lost.
   */
  void drain(long quietNanos) throws InterruptedException {
    long now = Clock.nanos();
    long cap = now + quietNanos * MAX_DRAIN_QUIET_PERIODS;
    long lastProgress = now;
    long seen = receivedTotal.sum();
    while (received.sum() < sent.sum() && now < cap && now - lastProgress < quietNanos) {
      Thread.sleep(20);
      now = Clock.nanos();
      long total = receivedTotal.sum();
      if (total != seen) {
        seen = total;
        lastProgress = now;
      }
    }
    stopped = true;
  }

  static void sleepUntil(long nanos) throws InterruptedException {
    long left;
    while ((left = nanos - Clock.nanos()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
    }
  }

  /** Latency recorded since the last call (soak intervals); it still counts in {@link #result()}. */
  synchronized Histogram intervalLatency() {
    Histogram h = latency.getIntervalHistogram();
    latencyTotal.add(h);
    serviceTotal.add(service.getIntervalHistogram());
    return h;
  }

  synchronized PhaseResult result() {
    intervalLatency();
    Histogram lat = latencyTotal.copy();
    Histogram svc = serviceTotal.copy();
    double seconds = (end - measureFrom) / 1e9;
    CpuMeter.Share share = cpuStart == null || cpuEnd == null ? new CpuMeter.Share(0, 0)
        : CpuMeter.between(cpuStart, cpuEnd);
    PhaseResult r = new PhaseResult(label, mode, offeredRate, seconds, sent.sum(), received.sum(), errors.sum(),
        firstError, received.sum() / seconds, lat, svc, share);
    NetStat.delta(netStart, netEnd).forEach(r.tcp::put);
    java.util.Map<String, Object> fetches = KafkaFetches.summary(fetchStart, fetchEnd, seconds);
    if (!fetches.isEmpty()) {
      r.extra.put("bridgeFetches", new JsonObject(fetches));
    }
    deadLettered.forEach((reason, n) -> r.deadLettered.put(reason, n.sum()));
    return r;
  }
}
