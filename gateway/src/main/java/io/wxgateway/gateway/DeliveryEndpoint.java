package io.wxgateway.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.bus.NodeClock;
import io.wxgateway.common.contract.DeliveryError;

/**
 * Answers the bridge's requests for the sockets of this node: finds the target sockets in the
 * registry, has each session write on its own event loop, and replies with how many were reached. A
 * {@link DeliveryBatch} is answered once every delivery in it is, with one result each, in order; its
 * writes go to each event loop in one task ({@link LoopWrites}), so a socket gets them in the batch's
 * order. Nothing of a batch is written after its deadline ({@link DeliveryBatch#deadlineHere}): the
 * bridge has dead-lettered it as node-unreachable by then, and may have sent the next batch, which
 * this one must not overtake. The answer carries this node's clock, for the deadlines of the next
 * batches. A single {@link Delivery}
 * (a one-off sender such as a tool) is answered alone. Stateless; runs on the event loop of the verticle
 * that registered it.
 */
final class DeliveryEndpoint {

  private final ConnectionRegistry registry;

  DeliveryEndpoint(ConnectionRegistry registry) {
    this.registry = registry;
  }

  void handle(Message<Object> message) {
    if (message.body() instanceof DeliveryBatch batch) {
      long deadline = batch.deadlineHere(System.nanoTime());
      if (DeliveryBatch.passed(deadline, System.nanoTime())) {
        refuseLate(message, batch.deliveries().size());
      } else {
        handleBatch(message, batch.deliveries(), deadline);
      }
    } else {
      Future<DeliveryResult> answer = resolve((Delivery) message.body());
      answer.onComplete(ar -> message.reply(orFailure(answer)));
    }
  }

  /**
   * A connection's delivery is answered with its socket's result; a user's or a broadcast's with the
   * number of sockets written (zero is a success, as for a single delivery).
   */
  private void handleBatch(Message<Object> message, List<Delivery> deliveries, long deadline) {
    DeliveryResult[] results = new DeliveryResult[deliveries.size()];
    int[] reached = new int[deliveries.size()];
    LoopWrites writes = new LoopWrites(deliveries, deadline);
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery d = deliveries.get(i);
      if (d.targetKind() == Delivery.TargetKind.CONNECTION) {
        SocketSession session = registry.get(d.target());
        if (session == null) {
          results[i] = DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "no open socket " + d.target());
        } else {
          writes.add(i, session);
        }
      } else {
        for (SocketSession session : d.targetKind() == Delivery.TargetKind.USER ? registry.byUser(d.target())
            : matchingAppId(d.target())) {
          writes.add(i, session);
        }
      }
    }
    writes.run(Vertx.currentContext()).onComplete(ar -> {
      for (LoopWrites.Written w : ar.result()) {
        if (deliveries.get(w.index()).targetKind() == Delivery.TargetKind.CONNECTION) {
          results[w.index()] = w.result();
        } else if (w.result().isSuccess()) {
          reached[w.index()] += w.result().delivered();
        }
      }
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) {
          results[i] = DeliveryResult.delivered(reached[i]);
        }
      }
      message.reply(new DeliveryResults(Arrays.asList(results), NodeClock.ID, System.nanoTime()));
    });
  }

  /** Too late: the bridge no longer waits for this answer, and has reported every delivery unreachable. */
  private static void refuseLate(Message<Object> message, int size) {
    DeliveryResult late = DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, LoopWrites.TOO_LATE);
    message.reply(new DeliveryResults(java.util.Collections.nCopies(size, late), NodeClock.ID, System.nanoTime()));
  }

  private static DeliveryResult orFailure(Future<DeliveryResult> answer) {
    return answer.succeeded() ? answer.result()
        : DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, String.valueOf(answer.cause()));
  }

  private Future<DeliveryResult> resolve(Delivery delivery) {
    switch (delivery.targetKind()) {
      case CONNECTION: {
        SocketSession session = registry.get(delivery.target());
        if (session == null) {
          return Future.succeededFuture(DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND,
              "no open socket " + delivery.target()));
        }
        return session.deliver(delivery);
      }
      case USER:
        return toEach(registry.byUser(delivery.target()), delivery);
      default:
        return toEach(matchingAppId(delivery.target()), delivery);
    }
  }

  /** Delivers to every session; success counts the sockets reached, which may be zero. */
  private static Future<DeliveryResult> toEach(Collection<SocketSession> sessions, Delivery delivery) {
    List<Future<DeliveryResult>> results = new ArrayList<>(sessions.size());
    for (SocketSession session : sessions) {
      results.add(session.deliver(delivery));
    }
    return Future.join(results).transform(ignored -> {
      int delivered = 0;
      for (Future<DeliveryResult> r : results) {
        if (r.succeeded() && r.result().isSuccess()) {
          delivered += r.result().delivered();
        }
      }
      return Future.succeededFuture(DeliveryResult.delivered(delivered));
    });
  }

  private Collection<SocketSession> matchingAppId(String appId) {
    if (appId == null) {
      return List.copyOf(registry.all());
    }
    List<SocketSession> matching = new ArrayList<>();
    for (SocketSession s : registry.all()) {
      if (appId.equals(s.appId())) {
        matching.add(s);
      }
    }
    return matching;
  }
}
