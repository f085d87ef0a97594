package io.wxgateway.common.bus;

import io.wxgateway.common.ConnectionId;

/** Event-bus addresses between the bridge and the gateway nodes. */
public final class BusAddresses {

  private static final String PREFIX = "wx.gateway.";

  /** Where every bridge takes {@link ReplayRequest}s (published: each bridge answers for its partitions). */
  public static final String REPLAY = "wx.bridge.replay";

  /**
   * Where every bridge takes the {@link ReplayRequest} of a suspended session that ended without
   * resuming (expired, or closed by its backend), published by the node that held it: what a resume
   * would have replayed is dead-lettered {@code session-expired} instead, and nobody answers.
   */
  public static final String SESSION_ENDED = "wx.bridge.session-ended";

  /**
   * Published by a bridge (its id, a string) when its consumer is assigned partitions: a node asks
   * its replays not yet covered again, since a bridge that had none answered for none.
   */
  public static final String BRIDGE_ASSIGNED = "wx.gateway.bridge-assigned";

  /**
   * Published by the member that cleaned up after departed gateway nodes, once they left the
   * directory: JSON {@code {"departed": [node ids], "adopter": node id}}. The adopter, one live
   * gateway node, suspends and later expires the sessions the departed nodes held, since nobody else
   * will (docs/sessions.md, "A node that dies").
   */
  public static final String GATEWAYS_DEPARTED = "wx.gateway.nodes-departed";

  /**
   * Published by {@link NodeDirectory} (the gateway node id, a string) once a node joined or left the
   * directory: a bridge's copy of the directory is stale from then on and is read again before the
   * next broadcast.
   */
  public static final String GATEWAYS_CHANGED = "wx.gateway.nodes-changed";

  private BusAddresses() {
  }

  /** Where gateway node {@code nodeId} takes {@link Delivery} requests and answers {@link DeliveryResult}. */
  public static String deliveries(String nodeId) {
    return PREFIX + ConnectionId.requireValidNodeId(nodeId) + ".deliver";
  }

  /** Where gateway node {@code nodeId} takes the {@link ReplayAnswer}s to its {@link ReplayRequest}s. */
  public static String replayAnswers(String nodeId) {
    return PREFIX + ConnectionId.requireValidNodeId(nodeId) + ".replay";
  }

  /**
   * Where gateway node {@code nodeId} takes another node's word about a session it holds (JSON):
   * {@code takeover} (close the socket with 4409, answer its acked positions) or {@code drop} (forget
   * the suspended placeholder: resumed elsewhere).
   */
  public static String sessions(String nodeId) {
    return PREFIX + ConnectionId.requireValidNodeId(nodeId) + ".sessions";
  }

  /**
   * Where gateway node {@code nodeId} takes a {@link #GATEWAYS_DEPARTED} notice naming it the adopter
   * and answers once it has it: a node that leaves for good waits for that answer, since a publish
   * can still be in the event bus's connection to the adopter when the leaving node's Vert.x closes.
   */
  public static String departedFor(String nodeId) {
    return PREFIX + ConnectionId.requireValidNodeId(nodeId) + ".departed";
  }

  /** Where gateway node {@code nodeId} takes {@link AdminRequest}s and answers {@link AdminAnswer}s. */
  public static String admin(String nodeId) {
    return PREFIX + ConnectionId.requireValidNodeId(nodeId) + ".admin";
  }
}
