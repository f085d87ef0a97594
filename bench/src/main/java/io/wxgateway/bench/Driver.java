package io.wxgateway.bench;

/**
 * A way to put messages through a system and get them back: the WebSocket clients of the relay, or
 * the Kafka clients of the baseline. Both are driven by the same {@link Pacer}s and measured by the
 * same {@link Phase}, so the only difference between two figures is the path the messages take.
 */
interface Driver {

  String name();

  /** Clients (connections or virtual clients) messages are spread over. */
  int clients();

  /** Sends one message for {@code client}, due at {@code intendedNanos}; callable on the client's pacing thread. */
  void send(int client, long intendedNanos);

  /** The phase whose messages are being sent and received; received messages are credited to it. */
  void phase(Phase phase, int window);

  /** Starts the open loop at {@code rate} messages/s in all for {@code phase}. */
  void openLoop(Phase phase, double rate);

  /** Starts the closed loop: every client keeps {@code window} messages in flight until the phase ends. */
  void closedLoop(Phase phase, int window);
}
