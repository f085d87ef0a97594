package io.wxgateway.gateway.session;

import io.wxgateway.common.codec.InboundRecords;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.inbound.NodeInFlight;
import io.wxgateway.gateway.metrics.GatewayMetrics;

/**
 * What every socket of one node shares: its settings, the registry it joins, the meters it counts in,
 * the encoder of its records, and the node-wide in-flight bound. The node builds one and hands it to
 * each session; a session hands each of its parts only the pieces that part uses. Immutable and
 * thread-safe (each piece is).
 *
 * @param keeper the node's session authority for sockets that speak {@code wx.session.v1}; null: every socket is raw
 * @param heartbeats the text heartbeat every socket answers, made from {@code options} and {@code metrics}
 */
public record SessionServices(GatewayOptions options, ConnectionRegistry registry, GatewayMetrics metrics,
    InboundRecords records, NodeInFlight inFlight, SessionKeeper keeper, Heartbeats heartbeats) {

  public SessionServices(GatewayOptions options, ConnectionRegistry registry, GatewayMetrics metrics,
      InboundRecords records, NodeInFlight inFlight) {
    this(options, registry, metrics, records, inFlight, null, new Heartbeats(metrics, options));
  }

  /** The same services with the node's session keeper. */
  public SessionServices withKeeper(SessionKeeper sessionKeeper) {
    return new SessionServices(options, registry, metrics, records, inFlight, sessionKeeper, heartbeats);
  }
}
