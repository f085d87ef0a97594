package io.wxgateway.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ServerWebSocket;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One socket's flow of records to Kafka, and its backpressure: the socket is read only while
 * neither its own bound ({@code maxInFlightPerConnection} records) nor the node's
 * ({@link NodeInFlight}) holds; reading resumes at half. Once the connection is gone
 * ({@link #finish()}), the frames Vert.x read but held back while the socket was paused are let
 * through, all at once (they are already in memory, and no more come), and {@link #whenSettled()}
 * tells when Kafka has answered for every record. Used on the socket's event loop, except
 * {@link #nodeCapacityAvailable()}, which any thread may call.
 */
final class InboundFlow {

  private final GatewayNode node;
  private final SocketSession session;
  private final ServerWebSocket ws;
  private final Context context;
  private final InboundPublisher publisher;
  private final int maxInFlight;
  private int inFlight;
  private boolean pausedForSelf;
  private boolean pausedForNode;
  private boolean readingPaused;
  private boolean finished;
  private Promise<Void> settled;

  InboundFlow(GatewayNode node, SocketSession session, ServerWebSocket ws, Context context,
      InboundPublisher publisher) {
    this.node = node;
    this.session = session;
    this.ws = ws;
    this.context = context;
    this.publisher = publisher;
    this.maxInFlight = node.options().getMaxInFlightPerConnection();
  }

  /** Hands the record to Kafka; the future completes on this loop once Kafka acknowledged it, or failed. */
  Future<RecordMetadata> publish(ProducerRecord<String, byte[]> record) {
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
      if (inFlight == 0 && settled != null) {
        settled.tryComplete();
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

  /** Whether some of the socket's records wait for Kafka, or the socket waits to be read again. */
  boolean waiting() {
    return inFlight > 0 || readingPaused;
  }

  /**
   * The connection is gone: lets through what Vert.x still holds of it, and never pauses it again.
   * Records published from now on still count in {@link #whenSettled()}.
   */
  void finish() {
    finished = true;
    readingPaused = false;
    ws.resume();
  }

  /** Completes once no record of this socket waits for Kafka (each is bounded by the producer's delivery timeout). */
  Future<Void> whenSettled() {
    if (settled == null) {
      settled = Promise.promise();
    }
    if (inFlight == 0) {
      settled.tryComplete();
    }
    return settled.future();
  }

  private void updateReading() {
    boolean pause = pausedForSelf || pausedForNode;
    if (pause == readingPaused || finished) {
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
