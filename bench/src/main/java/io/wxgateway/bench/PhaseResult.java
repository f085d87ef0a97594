package io.wxgateway.bench;

import org.HdrHistogram.Histogram;

import io.vertx.core.json.JsonObject;

/** What one {@link Phase} measured. Latencies in milliseconds; rates per second. */
final class PhaseResult {

  final String label;
  final String mode;
  final double offeredRate;
  final double seconds;
  final long sent;
  final long received;
  final long errors;
  final String firstError;
  final double throughput;
  final Histogram latency;
  final Histogram service;
  final CpuMeter.Share cpu;
  /** Machine-wide TCP counters over the measured part ({@link NetStat}). */
  final JsonObject tcp = new JsonObject();
  /** Measured messages (fanout: records) the bridge dead-lettered, by {@code ce_deliveryerror}. */
  final java.util.Map<String, Long> deadLettered = new java.util.TreeMap<>();
  /** Of {@link #lost()}: what was dead-lettered, by reason, in the same unit as lost (messages, deliveries). */
  final java.util.Map<String, Long> lostDeadLettered = new java.util.TreeMap<>();
  /** Of {@link #lost()}: neither received nor dead-lettered; -1 when the dead letters were not read. */
  long vanished = -1;
  /** Extra figures a scenario adds (deliveries, heap ...). */
  final JsonObject extra = new JsonObject();

  PhaseResult(String label, String mode, double offeredRate, double seconds, long sent, long received, long errors,
      String firstError, double throughput, Histogram latency, Histogram service, CpuMeter.Share cpu) {
    this.label = label;
    this.mode = mode;
    this.offeredRate = offeredRate;
    this.seconds = seconds;
    this.sent = sent;
    this.received = received;
    this.errors = errors;
    this.firstError = firstError;
    this.throughput = throughput;
    this.latency = latency;
    this.service = service;
    this.cpu = cpu;
  }

  /** The same figures under another label (a scenario that runs others, such as fanout-scaling, tells their layouts apart). */
  PhaseResult relabeled(String newLabel) {
    PhaseResult r = new PhaseResult(newLabel, mode, offeredRate, seconds, sent, received, errors, firstError, throughput,
        latency, service, cpu);
    r.tcp.mergeIn(tcp);
    r.deadLettered.putAll(deadLettered);
    r.lostDeadLettered.putAll(lostDeadLettered);
    r.vanished = vanished;
    r.extra.mergeIn(extra);
    return r;
  }

  long lost() {
    return Math.max(0, sent - received);
  }

  /**
   * One message out, one back (relay): every lost message that was dead-lettered is one of the dead
   * letters, the rest vanished. A message both dead-lettered and received (answered after the
   * timeout) hides a vanished one here; fanout tells them apart record by record instead.
   */
  void splitLostOneToOne() {
    long dead = 0;
    for (java.util.Map.Entry<String, Long> e : deadLettered.entrySet()) {
      lostDeadLettered.put(e.getKey(), e.getValue());
      dead += e.getValue();
    }
    vanished = Math.max(0, lost() - dead);
  }

  /** "lost N" and, when the dead letters were read, what became of them: for the progress lines. */
  String lossSummary() {
    StringBuilder b = new StringBuilder("lost ").append(lost());
    if (vanished < 0) {
      return b.append(lost() > 0 ? " (dead letters not read)" : "").toString();
    }
    long dead = lostDeadLettered.values().stream().mapToLong(Long::longValue).sum();
    if (lost() > 0 || dead > 0) {
      b.append(" (dead-lettered ").append(dead);
      lostDeadLettered.forEach((reason, n) -> b.append(", ").append(reason).append(' ').append(n));
      b.append("; vanished ").append(vanished).append(')');
    }
    long records = deadLettered.values().stream().mapToLong(Long::longValue).sum();
    if (records > 0) {
      b.append(", dead letters ").append(deadLettered);
    }
    return b.toString();
  }

  double p(double percentile) {
    return ms(latency, percentile);
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("label", label)
        .put("mode", mode)
        .put("offeredRate", offeredRate)
        .put("seconds", seconds)
        .put("sent", sent)
        .put("received", received)
        .put("lost", lost())
        .put("errors", errors)
        .put("throughput", round(throughput))
        .put("latencyMs", percentiles(latency))
        .put("serviceTimeMs", percentiles(service))
        .put("cpu", new JsonObject().put("process", round(cpu.process())).put("loadGenerator", round(cpu.loadGenerator()))
            .put("cores", CpuMeter.cores()).put("byThreadGroup", byGroup()));
    if (!tcp.isEmpty()) {
      json.put("tcp", tcp);
    }
    if (firstError != null) {
      json.put("firstError", firstError);
    }
    if (vanished >= 0) {
      json.put("deadLetters", new JsonObject().put("byReason", new JsonObject(new java.util.LinkedHashMap<String, Object>(deadLettered)))
          .put("lostDeadLettered", new JsonObject(new java.util.LinkedHashMap<String, Object>(lostDeadLettered)))
          .put("vanished", vanished));
    }
    if (!extra.isEmpty()) {
      json.put("extra", extra);
    }
    return json;
  }

  /** CPU by thread group as a share of the machine, largest first. */
  private JsonObject byGroup() {
    JsonObject json = new JsonObject();
    cpu.byGroup().entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> json.put(e.getKey(), round(e.getValue())));
    return json;
  }

  static JsonObject percentiles(Histogram h) {
    JsonObject json = new JsonObject().put("count", h.getTotalCount());
    if (h.getTotalCount() > 0) {
      json.put("p50", ms(h, 50)).put("p90", ms(h, 90)).put("p99", ms(h, 99)).put("p99.9", ms(h, 99.9))
          .put("max", h.getMaxValue() / 1000.0).put("mean", round(h.getMean() / 1000.0));
    }
    return json;
  }

  static double round(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? v : Math.round(v * 1000.0) / 1000.0;
  }
}
