package io.wxgateway.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How the in-process bridges fetched the outbound topic over a phase: fetch requests and records,
 * summed over the bridges' consumers from the Kafka client's own meters (the platform MBean server,
 * {@code fetch-total} and {@code records-consumed-total}). A consumer keeps one fetch in flight and
 * sends the next as soon as it is answered, so more bridges make more, smaller fetches at the same
 * rate; this shows how many there were, so that layouts and fetch settings can be compared by it
 * (docs/performance.md: for two bridges a quarter of the fetches did not raise the rate). The
 * history rebuilds' consumers do not count. Child runtimes' consumers are in their
 * own JVM and not seen: nothing is reported then.
 */
final class KafkaFetches {

  private static final String BRIDGE_CONSUMERS =
      "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=wx-bridge-*";

  /** Fetches and records so far, summed over the bridge consumers running now. */
  record Count(double fetches, double records) {

    Count minus(Count earlier) {
      return new Count(fetches - earlier.fetches, records - earlier.records);
    }
  }

  private KafkaFetches() {
  }

  static Count read() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    double fetches = 0;
    double records = 0;
    try {
      for (ObjectName name : server.queryNames(new ObjectName(BRIDGE_CONSUMERS), null)) {
        if (name.getKeyProperty("client-id").contains("-rebuild")) {
          continue;
        }
        fetches += number(server.getAttribute(name, "fetch-total"));
        records += number(server.getAttribute(name, "records-consumed-total"));
      }
    } catch (JMException | RuntimeException e) {
      return new Count(0, 0); // no meters to read: the phase reports no fetches
    }
    return new Count(fetches, records);
  }

  /**
   * {@code perSecond} fetches and {@code recordsPerFetch} over {@code seconds}; empty when no bridge
   * consumer fetched (a bare phase, child runtimes), or one stopped in between (its totals went away).
   */
  static Map<String, Object> summary(Count start, Count end, double seconds) {
    Count d = end.minus(start);
    if (d.fetches() <= 0 || d.records() < 0 || seconds <= 0) {
      return Map.of();
    }
    return Map.of("perSecond", PhaseResult.round(d.fetches() / seconds),
        "recordsPerFetch", PhaseResult.round(d.records() / d.fetches()));
  }

  private static double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : 0;
  }
}
