package io.wxgateway.bridge;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.common.metrics.WxMeter;

/** The bridge's meters, resolved once. Thread-safe. */
final class BridgeMetrics {

  final Counter consumed;
  final Counter delivered;
  private final Map<DeliveryError, Counter> deadLetters = new EnumMap<>(DeliveryError.class);

  BridgeMetrics(MeterRegistry registry) {
    consumed = WxMeter.OUTBOUND_RECORDS.counter(registry);
    delivered = WxMeter.OUTBOUND_DELIVERED.counter(registry);
    for (DeliveryError error : DeliveryError.values()) {
      deadLetters.put(error, WxMeter.DEAD_LETTERS.counter(registry, error.code()));
    }
  }

  void deadLettered(DeliveryError error) {
    deadLetters.get(error).increment();
  }
}
