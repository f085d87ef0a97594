package io.wxgateway.common.bus;

import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * A gateway node's answer to an {@link AdminRequest}. Socket descriptions and node stats stay JSON
 * objects: the admin API shows them to operators as the node wrote them, and only the node knows
 * their fields. Treat the objects as read-only: the local codec passes the answer by reference.
 *
 * @param count {@link AdminRequest.Op#LIST}: how many sockets matched (the page may hold fewer);
 *     {@link AdminRequest.Op#CLOSE}: how many sockets were closed
 * @param connections {@link AdminRequest.Op#LIST}: the page, oldest first; {@link AdminRequest.Op#GET}: the one socket
 * @param stats {@link AdminRequest.Op#STATS}: the node's counters, otherwise null
 */
public record AdminAnswer(int count, List<JsonObject> connections, JsonObject stats) {

  public AdminAnswer {
    connections = List.copyOf(connections);
  }

  public static AdminAnswer listing(int total, List<JsonObject> page) {
    return new AdminAnswer(total, page, null);
  }

  public static AdminAnswer connection(JsonObject description) {
    return new AdminAnswer(1, List.of(description), null);
  }

  public static AdminAnswer closed(int sockets) {
    return new AdminAnswer(sockets, List.of(), null);
  }

  public static AdminAnswer stats(JsonObject stats) {
    return new AdminAnswer(0, List.of(), stats);
  }

  /** The socket of a {@link AdminRequest.Op#GET} answer. */
  public JsonObject connection() {
    return connections.get(0);
  }
}
