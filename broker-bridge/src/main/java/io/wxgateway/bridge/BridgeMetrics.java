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
  private volatile Supplier<Number> historyBytes = () -> 0;
  private volatile Supplier<Number> historyPushes = () -> 0;
  private volatile Supplier<Number> heldNow = () -> 0;
  private final Counter evictedByAge;
  private final Counter evictedByBytes;
  private final Counter replayComplete;
  private final Counter replayIncomplete;
  final Counter replayed;
  final Counter held;
  final Counter heldReleased;

  BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
    WxMeter.BRIDGE_CONSUMER_LAG.gauge(registry, () -> lag.get());
    consumed = WxMeter.OUTBOUND_RECORDS.counter(registry);
    delivered = WxMeter.OUTBOUND_DELIVERED.counter(registry);
    for (DeliveryError error : DeliveryError.values()) {
      deadLetters.put(error, WxMeter.DEAD_LETTERS.counter(registry, error.code()));
    }
    WxMeter.BRIDGE_HISTORY_BYTES.gauge(registry, () -> historyBytes.get());
    WxMeter.BRIDGE_HISTORY_PUSHES.gauge(registry, () -> historyPushes.get());
    WxMeter.BRIDGE_HELD.gauge(registry, () -> heldNow.get());
    evictedByAge = WxMeter.BRIDGE_HISTORY_EVICTED.counter(registry, "age");
    evictedByBytes = WxMeter.BRIDGE_HISTORY_EVICTED.counter(registry, "bytes");
    replayComplete = WxMeter.BRIDGE_REPLAY_REQUESTS.counter(registry, "true");
    replayIncomplete = WxMeter.BRIDGE_REPLAY_REQUESTS.counter(registry, "false");
    replayed = WxMeter.BRIDGE_REPLAYED.counter(registry);
    held = WxMeter.BRIDGE_HELD_TOTAL.counter(registry);
    heldReleased = WxMeter.BRIDGE_HELD_RELEASED.counter(registry);
  }

  /** Where the lag gauge reads from; the consumer's own metric, readable from any thread. */
  void lagFrom(Supplier<Double> source) {
    this.lag = source;
  }

  /** Where the history and held gauges read from: the running verticle's (volatile) totals. */
  void historyFrom(Supplier<Number> bytes, Supplier<Number> pushes, Supplier<Number> heldRecords) {
    this.historyBytes = bytes;
    this.historyPushes = pushes;
    this.heldNow = heldRecords;
  }

  void historyEvicted(boolean byAge) {
    (byAge ? evictedByAge : evictedByBytes).increment();
  }

  void replayAnswered(boolean complete) {
    (complete ? replayComplete : replayIncomplete).increment();
  }

  Timer eventBusLatency(boolean local) {
    return WxMeter.EVENTBUS_DELIVERY_LATENCY.timer(registry, local ? "local" : "remote");
  }

  void deadLettered(DeliveryError error) {
    deadLetters.get(error).increment();
  }
}
