package io.wxgateway.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryBatch;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.DeliveryResults;
import io.wxgateway.common.contract.DeliveryError;

/**
 * Answers the bridge's requests for the sockets of this node: finds the target sockets in the
 * registry, has each session write on its own event loop, and replies with how many were reached. A
 * {@link DeliveryBatch} is answered once every delivery in it is, with one result each, in order; its
 * deliveries to one socket are queued on that socket in the batch's order. A single {@link Delivery}
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
      List<Future<DeliveryResult>> answers = new ArrayList<>(batch.deliveries().size());
      for (Delivery delivery : batch.deliveries()) {
        answers.add(resolve(delivery));
      }
      Future.join(answers).onComplete(ignored -> {
        List<DeliveryResult> results = new ArrayList<>(answers.size());
        answers.forEach(a -> results.add(orFailure(a)));
        message.reply(new DeliveryResults(results));
      });
    } else {
      Future<DeliveryResult> answer = resolve((Delivery) message.body());
      answer.onComplete(ar -> message.reply(orFailure(answer)));
    }
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
