package io.wxgateway.gateway.delivery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.bus.NodeClock;
import io.wxgateway.common.contract.DeliveryError;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;

/**
 * Answers the bridge's requests for the sockets of this node: finds the target sockets in the
 * registry, has each written on its own event loop, and replies with how many were reached. A
 * {@link DeliveryBatch} is answered once every delivery in it is, with one result each, in order; its
 * writes go to each event loop in one task ({@link LoopWrites}), so a socket gets them in the batch's
 * order. Nothing of a batch is written after its deadline ({@link DeliveryBatch#deadlineHere}): the
 * bridge has dead-lettered it as node-unreachable by then, and may have sent the next batch, which
 * this one must not overtake. A connection whose session resumed as another connection is answered
 * with that one ({@link DeliveryResult#moved}), for the bridge to follow. The answer carries this
 * node's clock, for the deadlines of the next batches. Anything but a batch is refused (400): the
 * bridge sends nothing else. Stateless; runs on the event loop of the verticle that registered it.
 */
public final class DeliveryEndpoint {

  /** The failure code of a request that is not a {@link DeliveryBatch}. */
  public static final int NOT_A_BATCH = 400;

  private final ConnectionRegistry registry;

  public DeliveryEndpoint(ConnectionRegistry registry) {
    this.registry = registry;
  }

  public void handle(Message<Object> message) {
    if (!(message.body() instanceof DeliveryBatch batch)) {
      message.fail(NOT_A_BATCH, "expected a DeliveryBatch, got " + message.body());
      return;
    }
    long deadline = batch.deadlineHere(System.nanoTime());
    if (DeliveryBatch.passed(deadline, System.nanoTime())) {
      refuseLate(message, batch.deliveries().size());
    } else {
      handleBatch(message, batch.deliveries(), deadline);
    }
  }

  /**
   * A connection's delivery is answered with its socket's result; a user's or a broadcast's with the
   * number of sockets written (zero is a success: nobody of that user or app is on this node), unless
   * a socket of it was skipped for the batch's deadline: then node-unreachable, as if the whole batch
   * were late, so that the bridge dead-letters it naming this node instead of counting it delivered
   * (or the user offline) while that socket never got it.
   */
  private void handleBatch(Message<Object> message, List<Delivery> deliveries, long deadline) {
    DeliveryResult[] results = new DeliveryResult[deliveries.size()];
    int[] reached = new int[deliveries.size()];
    LoopWrites writes = new LoopWrites(deliveries, deadline);
    for (int i = 0; i < deliveries.size(); i++) {
      Delivery d = deliveries.get(i);
      if (d.targetKind() == Delivery.TargetKind.CONNECTION) {
        Connection connection = registry.get(d.target());
        if (connection == null) {
          String movedTo = registry.moved().movedTo(d.target());
          results[i] = movedTo != null ? DeliveryResult.moved(d.target(), movedTo)
              : DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "no open socket " + d.target());
        } else {
          writes.add(i, connection);
        }
      } else {
        for (Connection connection : d.targetKind() == Delivery.TargetKind.USER ? registry.byUser(d.target())
            : matchingAppId(d.target())) {
          writes.add(i, connection);
        }
      }
    }
    boolean[] late = new boolean[deliveries.size()];
    @SuppressWarnings("unchecked")
    List<String>[] holds = new List[deliveries.size()]; // a user's suspended sessions on this node
    long[] heldUntil = new long[deliveries.size()];
    writes.run(Vertx.currentContext()).onComplete(ar -> {
      for (LoopWrites.Written w : ar.result()) {
        if (deliveries.get(w.index()).targetKind() == Delivery.TargetKind.CONNECTION) {
          results[w.index()] = w.result(); // a suspended session's held answer passes through
        } else if (w.result().isSuccess()) {
          reached[w.index()] += w.result().delivered();
          if (w.result().isHeld()) {
            holds[w.index()] = holds[w.index()] == null ? new ArrayList<>() : holds[w.index()];
            holds[w.index()].addAll(w.result().heldFor());
            heldUntil[w.index()] = Math.max(heldUntil[w.index()], w.result().heldUntil());
          }
        } else if (w.result().error() == DeliveryError.NODE_UNREACHABLE) {
          late[w.index()] = true; // a socket skipped for the deadline: not "delivered", nor "nobody here"
        }
      }
      for (int i = 0; i < results.length; i++) {
        if (late[i]) {
          results[i] = DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, LoopWrites.TOO_LATE + " (" + reached[i]
              + " socket(s) on this node were written in time)");
        } else if (results[i] == null && holds[i] != null) {
          results[i] = new DeliveryResult(reached[i], null, null, holds[i], heldUntil[i]);
        } else if (results[i] == null) {
          results[i] = DeliveryResult.delivered(reached[i]);
        }
      }
      message.reply(new DeliveryResults(Arrays.asList(results), NodeClock.ID, System.nanoTime()));
    });
  }

  /** Too late: the bridge no longer waits for this answer, and has reported every delivery unreachable. */
  private static void refuseLate(Message<Object> message, int size) {
    DeliveryResult late = DeliveryResult.failed(DeliveryError.NODE_UNREACHABLE, LoopWrites.TOO_LATE);
    message.reply(new DeliveryResults(Collections.nCopies(size, late), NodeClock.ID, System.nanoTime()));
  }

  private Collection<Connection> matchingAppId(String appId) {
    if (appId == null) {
      return List.copyOf(registry.all());
    }
    List<Connection> matching = new ArrayList<>();
    for (Connection c : registry.all()) {
      if (appId.equals(c.appId())) {
        matching.add(c);
      }
    }
    return matching;
  }
}
