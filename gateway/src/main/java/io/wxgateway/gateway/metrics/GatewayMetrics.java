package io.wxgateway.gateway.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.metrics.WxMeter;
import io.wxgateway.gateway.connection.ConnectionRegistry;

/** The gateway's meters, resolved once so that hot paths only increment. Thread-safe. */
public final class GatewayMetrics {

  private final MeterRegistry registry;
  public final Counter opened;
  public final Counter tokensChecked;
  public final Counter tokensRemembered;
  public final Counter textIn;
  public final Counter binaryIn;
  public final Counter heartbeatIn;
  public final Counter bytesIn;
  public final Counter tooBig;
  public final Counter invalidUtf8;
  public final Counter protocolErrors;
  public final Counter rateLimited;
  public final Counter textOut;
  public final Counter binaryOut;
  public final Counter heartbeatOut;
  public final Counter bytesOut;
  public final Counter produceErrors;
  public final Counter pauses;
  public final Timer produceLatency;
  public final Timer deliveryLatency;

  /** Every reason a handshake is refused for, registered up front so dashboards see zeros rather than gaps. */
  public static final List<String> HANDSHAKE_REJECTIONS = List.of("not-found", "method", "not-websocket", "origin",
      "appid", "subprotocol", "node-full", "rate-limited", "unauthorized", "user-limit", "draining", "out-of-cluster",
      "timeout", "internal", "malformed");

  public GatewayMetrics(MeterRegistry registry, ConnectionRegistry connections) {
    this.registry = registry;
    WxMeter.SOCKETS_OPEN.gauge(registry, connections::sockets);
    opened = WxMeter.SOCKETS_OPENED.counter(registry);
    tokensChecked = WxMeter.AUTH_TOKENS.counter(registry, "checked");
    tokensRemembered = WxMeter.AUTH_TOKENS.counter(registry, "remembered");
    textIn = WxMeter.MESSAGES_IN.counter(registry, "text");
    binaryIn = WxMeter.MESSAGES_IN.counter(registry, "binary");
    heartbeatIn = WxMeter.MESSAGES_IN.counter(registry, "heartbeat");
    bytesIn = WxMeter.BYTES_IN.counter(registry);
    tooBig = WxMeter.MESSAGES_REJECTED.counter(registry, "too-big");
    invalidUtf8 = WxMeter.MESSAGES_REJECTED.counter(registry, "invalid-utf8");
    protocolErrors = WxMeter.MESSAGES_REJECTED.counter(registry, "protocol-error");
    rateLimited = WxMeter.MESSAGES_REJECTED.counter(registry, "rate-limited");
    for (String reason : HANDSHAKE_REJECTIONS) {
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

  public void rejected(String reason) {
    WxMeter.HANDSHAKES_REJECTED.counter(registry, reason).increment();
  }

  public void closed(int code, boolean byServer) {
    WxMeter.SOCKETS_CLOSED.counter(registry, CloseCodes.codeClass(code), byServer ? "server" : "client").increment();
  }

  public void delivered(long createdAtMillis) {
    if (createdAtMillis > 0) {
      long ms = System.currentTimeMillis() - createdAtMillis;
      deliveryLatency.record(Math.max(0, ms), TimeUnit.MILLISECONDS);
    }
  }
}
