package io.wxgateway.bridge;

import java.util.Map;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Reads the consumer's own {@code records-lag-max} metric (the largest lag over its partitions, as
 * of the last fetch). Kafka's metric values are safe to read from any thread, unlike the consumer.
 */
final class ConsumerLag implements Supplier<Double> {

  private final Consumer<?, ?> consumer;
  private volatile Metric lagMax;

  ConsumerLag(Consumer<?, ?> consumer) {
    this.consumer = consumer;
  }

  @Override
  public Double get() {
    Metric metric = lagMax;
    if (metric == null) {
      metric = find();
      if (metric == null) {
        return 0.0; // no fetch yet
      }
      lagMax = metric;
    }
    Object value = metric.metricValue();
    return value instanceof Double d && !d.isNaN() ? d : 0.0;
  }

  private Metric find() {
    for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("records-lag-max") && name.group().equals("consumer-fetch-manager-metrics")
          && !name.tags().containsKey("topic")) {
        return e.getValue();
      }
    }
    return null;
  }
}
