package io.wxgateway.bridge;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.metrics.WxMeter;

/** The bridge's meters, resolved once. Thread-safe. */
final class BridgeMetrics {

  private final MeterRegistry registry;
  private volatile Supplier<Double> lag = () -> 0.0;
  final Counter consumed;
  final Counter delivered;
  private final Map<DeliveryError, Counter> deadLetters = new EnumMap<>(DeliveryError.class);

  BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    WxMeter.BRIDGE_CONSUMER_LAG.gauge(registry, () -> lag.get());
    consumed = WxMeter.OUTBOUND_RECORDS.counter(registry);
    delivered = WxMeter.OUTBOUND_DELIVERED.counter(registry);
    for (DeliveryError error : DeliveryError.values()) {
      deadLetters.put(error, WxMeter.DEAD_LETTERS.counter(registry, error.code()));
    }
  }

  /** Where the lag gauge reads from; the consumer's own metric, readable from any thread. */
  void lagFrom(Supplier<Double> source) {
    this.lag = source;
  }

  Timer eventBusLatency(boolean local) {
    return WxMeter.EVENTBUS_DELIVERY_LATENCY.timer(registry, local ? "local" : "remote");
  }

  void deadLettered(DeliveryError error) {
    deadLetters.get(error).increment();
  }
}
