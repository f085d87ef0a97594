package io.wxgateway.gateway.inbound;

import io.micrometer.core.instrument.Counter;
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
public final class InboundFlow {

  private final ServerWebSocket ws;
  private final Context context;
  private final InboundPublisher publisher;
  private final NodeInFlight node;
  private final int maxInFlight;
  private final Counter pauses;
  private int inFlight;
  private boolean pausedForSelf;
  private boolean pausedForNode;
  private boolean readingPaused;
  private boolean finished;
  private Promise<Void> settled;

  /**
   * @param maxInFlight the socket's own bound ({@code gateway.maxInFlightPerConnection}), in records
   * @param pauses counts each time reading pauses
   */
  public InboundFlow(ServerWebSocket ws, Context context, InboundPublisher publisher, NodeInFlight node,
      int maxInFlight, Counter pauses) {
    this.ws = ws;
    this.context = context;
    this.publisher = publisher;
    this.node = node;
    this.maxInFlight = maxInFlight;
    this.pauses = pauses;
  }

  /** Hands the record to Kafka; the future completes on this loop once Kafka acknowledged it, or failed. */
  public Future<RecordMetadata> publish(ProducerRecord<String, byte[]> record) {
    int size = record.value().length;
    inFlight++;
    if (inFlight >= maxInFlight) {
      pausedForSelf = true;
    }
    if (node.acquire(size) && !pausedForNode) {
      pausedForNode = true;
      node.await(this);
    }
    updateReading();
    return publisher.send(record).andThen(ar -> {
      inFlight--;
      node.release(size);
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
  public boolean waiting() {
    return inFlight > 0 || readingPaused;
  }

  /**
   * The connection is gone: lets through what Vert.x still holds of it, and never pauses it again.
   * Records published from now on still count in {@link #whenSettled()}.
   */
  public void finish() {
    finished = true;
    readingPaused = false;
    ws.resume();
  }

  /** Completes once no record of this socket waits for Kafka (each is bounded by the producer's delivery timeout). */
  public Future<Void> whenSettled() {
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
      pauses.increment();
      ws.pause();
    } else {
      ws.resume();
    }
  }
}
