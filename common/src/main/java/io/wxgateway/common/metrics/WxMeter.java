package io.wxgateway.common.metrics;

import java.util.List;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The catalogue of every meter wx-gateway registers: name, type, base unit, description and tag
 * keys. Names are lowercase with dots (Prometheus turns them into {@code wx_sockets_opened_total}
 * and so on). No meter is ever tagged by connection id or user id: tag values come from small,
 * fixed sets.
 */
public enum WxMeter {
  SOCKETS_OPEN("wx.sockets.open", Type.GAUGE, null, "Sockets open on this node now"),
  SOCKETS_OPENED("wx.sockets.opened", Type.COUNTER, null, "Sockets accepted"),
  SOCKETS_CLOSED("wx.sockets.closed", Type.COUNTER, null,
      "Sockets closed, by close-code class (1000, 1001, ..., 3xxx, 4xxx) and by who closed", "code", "initiator"),
  HANDSHAKES_REJECTED("wx.handshakes.rejected", Type.COUNTER, null,
      "Handshakes refused before the upgrade, by reason", "reason"),
  AUTH_TOKENS("wx.auth.tokens", Type.COUNTER, null,
      "Handshake tokens accepted, by check: checked (signature and claims) or remembered (the same token passed before)",
      "check"),
  MESSAGES_IN("wx.messages.in", Type.COUNTER, null, "Messages received from clients", "type"),
  BYTES_IN("wx.payload.in", Type.COUNTER, "bytes", "Payload bytes received from clients"),
  MESSAGES_REJECTED("wx.messages.rejected", Type.COUNTER, null,
      "Client messages refused (the socket is closed), by reason", "reason"),
  MESSAGES_OUT("wx.messages.out", Type.COUNTER, null, "Messages written to sockets", "type"),
  BYTES_OUT("wx.payload.out", Type.COUNTER, "bytes", "Payload bytes written to sockets"),
  KAFKA_PRODUCE_LATENCY("wx.kafka.produce.latency", Type.TIMER, "seconds",
      "From handing an inbound record to the producer until Kafka acknowledged it"),
  KAFKA_PRODUCE_ERRORS("wx.kafka.produce.errors", Type.COUNTER, null, "Inbound records Kafka did not accept"),
  BACKPRESSURE_PAUSES("wx.backpressure.pauses", Type.COUNTER, null,
      "Times a socket stopped being read because its produce requests were in flight"),
  OUTBOUND_RECORDS("wx.outbound.records", Type.COUNTER, null, "Records consumed from the outbound topic"),
  OUTBOUND_DELIVERED("wx.outbound.delivered", Type.COUNTER, null, "Outbound records delivered to at least one socket"),
  DELIVERY_LATENCY("wx.outbound.delivery.latency", Type.TIMER, "seconds",
      "From the outbound record's timestamp until the gateway wrote it to the socket"),
  EVENTBUS_DELIVERY_LATENCY("wx.eventbus.delivery.latency", Type.TIMER, "seconds",
      "From the bridge's event-bus request to the gateway node's answer, by locality (local or remote node)",
      "locality"),
  DEAD_LETTERS("wx.dead.letters", Type.COUNTER, null, "Outbound records written to the dead-letter topic, by reason",
      "reason"),
  BRIDGE_CONSUMER_LAG("wx.bridge.consumer.lag", Type.GAUGE, "records",
      "Largest lag of the bridge's consumer over its partitions of the outbound topic"),
  SESSIONS_SUSPENDED("wx.sessions.suspended", Type.GAUGE, null,
      "Sessions suspended on this node now, waiting to be resumed"),
  SESSION_RESUMES("wx.session.resumes", Type.COUNTER, null,
      "Resume attempts, by outcome (recovered, unrecovered, or the refusal reason)", "outcome"),
  SESSION_REPLAYED("wx.session.replayed", Type.COUNTER, null, "Pushes written again to resumed sessions"),
  SESSION_RECEIPTS("wx.session.receipts", Type.COUNTER, null, "Push receipts written: pushes clients acknowledged"),
  BRIDGE_HISTORY_BYTES("wx.bridge.history.size", Type.GAUGE, "bytes",
      "Estimated bytes of the pushes the bridge keeps for replay to resumed sessions"),
  BRIDGE_HISTORY_PUSHES("wx.bridge.history.pushes", Type.GAUGE, null, "Pushes the bridge keeps for replay"),
  BRIDGE_HISTORY_EVICTED("wx.bridge.history.evicted", Type.COUNTER, null,
      "Pushes dropped from the replay history, by cause (bytes or age)", "cause"),
  BRIDGE_REPLAY_REQUESTS("wx.bridge.replay.requests", Type.COUNTER, null,
      "Replay requests answered, by whether the answer was complete (true or false)", "complete"),
  BRIDGE_REPLAYED("wx.bridge.replay.pushes", Type.COUNTER, null, "Pushes sent in replay answers"),
  BRIDGE_HELD("wx.bridge.held", Type.GAUGE, null,
      "Outbound records held for suspended sessions, neither delivered nor dead-lettered yet"),
  BRIDGE_HELD_TOTAL("wx.bridge.held.records", Type.COUNTER, null, "Outbound records a gateway node answered held"),
  BRIDGE_HELD_RELEASED("wx.bridge.held.released", Type.COUNTER, null,
      "Held records released by a replay to their resumed session (they count as delivered)");

  /** Meter types, as Micrometer registers them. */
  public enum Type { COUNTER, GAUGE, TIMER }

  private final String meterName;
  private final Type type;
  private final String baseUnit;
  private final String description;
  private final List<String> tagKeys;

  WxMeter(String meterName, Type type, String baseUnit, String description, String... tagKeys) {
    this.meterName = meterName;
    this.type = type;
    this.baseUnit = baseUnit;
    this.description = description;
    this.tagKeys = List.of(tagKeys);
  }

  public String meterName() {
    return meterName;
  }

  public Type type() {
    return type;
  }

  public String baseUnit() {
    return baseUnit;
  }

  public String description() {
    return description;
  }

  public List<String> tagKeys() {
    return tagKeys;
  }

  /** The counter with these tag values, in the order of {@link #tagKeys()}. */
  public Counter counter(MeterRegistry registry, String... tagValues) {
    require(Type.COUNTER);
    return Counter.builder(meterName).description(description).baseUnit(baseUnit)
        .tags(tags(tagValues)).register(registry);
  }

  public Timer timer(MeterRegistry registry, String... tagValues) {
    require(Type.TIMER);
    return Timer.builder(meterName).description(description).tags(tags(tagValues)).register(registry);
  }

  public <T extends Number> void gauge(MeterRegistry registry, Supplier<T> value) {
    require(Type.GAUGE);
    Gauge.builder(meterName, value).description(description).baseUnit(baseUnit).register(registry);
  }

  private String[] tags(String... values) {
    if (values.length != tagKeys.size()) {
      throw new IllegalArgumentException(meterName + " takes tags " + tagKeys + ", got " + values.length + " values");
    }
    String[] pairs = new String[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      pairs[2 * i] = tagKeys.get(i);
      pairs[2 * i + 1] = values[i];
    }
    return pairs;
  }

  private void require(Type expected) {
    if (type != expected) {
      throw new IllegalStateException(meterName + " is a " + type + ", not a " + expected);
    }
  }
}
