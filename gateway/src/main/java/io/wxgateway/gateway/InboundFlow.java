package io.wxgateway.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One socket's flow of records to Kafka, and its backpressure: the socket is read only while
 * neither its own bound ({@code maxInFlightPerConnection} records) nor the node's
 * ({@link NodeInFlight}) holds; reading resumes at half. Used on the socket's event loop, except
 * {@link #nodeCapacityAvailable()}, which any thread may call.
 */
final class InboundFlow {

  private final GatewayNode node;
  private final ServerWebSocket ws;
  private final Context context;
  private final InboundPublisher publisher;
  private final int maxInFlight;
  private int inFlight;
  private boolean pausedForSelf;
  private boolean pausedForNode;
  private boolean readingPaused;
  private boolean stopped;

  InboundFlow(GatewayNode node, ServerWebSocket ws, Context context, InboundPublisher publisher) {
    this.node = node;
    this.ws = ws;
    this.context = context;
    this.publisher = publisher;
    this.maxInFlight = node.options().getMaxInFlightPerConnection();
  }

  /** Hands the record to Kafka; the future completes on this loop once Kafka acknowledged it, or failed. */
  Future<RecordMetadata> publish(SocketSession session, ProducerRecord<String, byte[]> record) {
    int size = record.value().length;
    inFlight++;
    if (inFlight >= maxInFlight) {
      pausedForSelf = true;
    }
    if (node.inFlight().acquire(size) && !pausedForNode) {
      pausedForNode = true;
      node.inFlight().await(session);
    }
    updateReading();
    return publisher.send(record).andThen(ar -> {
      inFlight--;
      node.inFlight().release(size);
      if (pausedForSelf && inFlight <= maxInFlight / 2) {
        pausedForSelf = false;
        updateReading();
      }
    });
  }

  /** The node is back under half its bound; callable from any thread. */
  void nodeCapacityAvailable() {
    context.runOnContext(v -> {
      pausedForNode = false;
      updateReading();
    });
  }

  /** The socket closed: never pause or resume it again (the close event still flows). */
  void stop() {
    stopped = true;
  }

  private void updateReading() {
    boolean pause = pausedForSelf || pausedForNode;
    if (pause == readingPaused || stopped) {
      return;
    }
    readingPaused = pause;
    if (pause) {
      node.metrics().pauses.increment();
      ws.pause();
    } else {
      ws.resume();
    }
  }
}
