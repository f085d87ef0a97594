package io.wxgateway.gateway;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.metrics.WxMeter;

/** The gateway's meters, resolved once so that hot paths only increment. Thread-safe. */
final class GatewayMetrics {

  private final MeterRegistry registry;
  final Counter opened;
  final Counter textIn;
  final Counter binaryIn;
  final Counter heartbeatIn;
  final Counter bytesIn;
  final Counter tooBig;
  final Counter invalidUtf8;
  final Counter protocolErrors;
  final Counter rateLimited;
  final Counter textOut;
  final Counter binaryOut;
  final Counter heartbeatOut;
  final Counter bytesOut;
  final Counter produceErrors;
  final Counter pauses;
  final Timer produceLatency;
  final Timer deliveryLatency;

  GatewayMetrics(MeterRegistry registry, ConnectionRegistry connections) {
    this.registry = registry;
    WxMeter.SOCKETS_OPEN.gauge(registry, connections::size);
    opened = WxMeter.SOCKETS_OPENED.counter(registry);
    textIn = WxMeter.MESSAGES_IN.counter(registry, "text");
    binaryIn = WxMeter.MESSAGES_IN.counter(registry, "binary");
    heartbeatIn = WxMeter.MESSAGES_IN.counter(registry, "heartbeat");
    bytesIn = WxMeter.BYTES_IN.counter(registry);
    tooBig = WxMeter.MESSAGES_REJECTED.counter(registry, "too-big");
    invalidUtf8 = WxMeter.MESSAGES_REJECTED.counter(registry, "invalid-utf8");
    protocolErrors = WxMeter.MESSAGES_REJECTED.counter(registry, "protocol-error");
    rateLimited = WxMeter.MESSAGES_REJECTED.counter(registry, "rate-limited");
    for (String reason : HandshakeRejection.REASONS) {
      WxMeter.HANDSHAKES_REJECTED.counter(registry, reason);
    }
    textOut = WxMeter.MESSAGES_OUT.counter(registry, "text");
    binaryOut = WxMeter.MESSAGES_OUT.counter(registry, "binary");
    heartbeatOut = WxMeter.MESSAGES_OUT.counter(registry, "heartbeat");
    bytesOut = WxMeter.BYTES_OUT.counter(registry);
    produceErrors = WxMeter.KAFKA_PRODUCE_ERRORS.counter(registry);
    pauses = WxMeter.BACKPRESSURE_PAUSES.counter(registry);
    produceLatency = WxMeter.KAFKA_PRODUCE_LATENCY.timer(registry);
    deliveryLatency = WxMeter.DELIVERY_LATENCY.timer(registry);
  }

  void rejected(String reason) {
    WxMeter.HANDSHAKES_REJECTED.counter(registry, reason).increment();
  }

  void closed(int code, boolean byServer) {
    WxMeter.SOCKETS_CLOSED.counter(registry, CloseCodes.codeClass(code), byServer ? "server" : "client").increment();
  }

  void delivered(long createdAtMillis) {
    if (createdAtMillis > 0) {
      long ms = System.currentTimeMillis() - createdAtMillis;
      deliveryLatency.record(Math.max(0, ms), TimeUnit.MILLISECONDS);
    }
  }
}
