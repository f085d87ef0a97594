package io.wxgateway.gateway.resume;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.gateway.session.SessionSocket;

/**
 * The replays of one node: publishes a resumed session's {@link ReplayRequest} to every bridge,
 * gathers the {@link ReplayAnswer}s on the node's one answer address until they cover every
 * partition (or the replay timeout passes), then has the socket write them, on its loop. Thread-safe.
 */
final class Replayer {

  /** Told, on the socket's loop, what the replay wrote. */
  interface Done {
    void replayed(boolean recovered, int written);
  }

  private final Vertx vertx;
  private final String nodeId;
  private final long timeoutMs;
  private final SessionMeters meters;
  private final Map<String, ReplayGather> replays = new ConcurrentHashMap<>();
  private MessageConsumer<ReplayAnswer> answers;

  Replayer(Vertx vertx, String nodeId, long timeoutMs, SessionMeters meters) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.timeoutMs = timeoutMs;
    this.meters = meters;
  }

  Future<Void> start() {
    answers = vertx.eventBus().consumer(BusAddresses.replayAnswers(nodeId), m -> onAnswer(m.body()));
    return answers.completion();
  }

  Future<Void> close() {
    return answers == null ? Future.succeededFuture() : answers.unregister();
  }

  /** Asks the bridges for what {@code session} missed since {@code acked} (elsewhere since {@code sinceMs}). */
  void replay(SessionSocket socket, SessionRecord session, Map<Integer, Long> acked, long sinceMs, Done done) {
    ReplayRequest request = new ReplayRequest(UUID.randomUUID().toString(), session.id(),
        BusAddresses.replayAnswers(nodeId), targets(session), acked, sinceMs);
    ReplayGather gather = new ReplayGather();
    replays.put(request.requestId(), gather);
    gather.whenCovered = () -> finish(request.requestId(), socket, done);
    gather.timer = vertx.setTimer(timeoutMs, t -> finish(request.requestId(), socket, done));
    vertx.eventBus().publish(BusAddresses.REPLAY, request);
  }

  private static List<String> targets(SessionRecord r) {
    List<String> targets = new ArrayList<>();
    if (r.user() != null) {
      targets.add(ReplayRequest.user(r.user()));
    }
    r.connections().forEach(c -> targets.add(ReplayRequest.connection(c)));
    return targets;
  }

  private void onAnswer(ReplayAnswer answer) {
    ReplayGather gather = replays.get(answer.requestId());
    if (gather != null && gather.add(answer)) {
      gather.whenCovered.run();
    }
  }

  private void finish(String requestId, SessionSocket socket, Done done) {
    ReplayGather gather = replays.remove(requestId);
    if (gather == null || !gather.finish()) {
      return;
    }
    vertx.cancelTimer(gather.timer);
    socket.onLoop(() -> {
      int written = socket.replay(gather.pushes(), gather.recovered(), gather.reason());
      meters.resume(gather.recovered() ? "recovered" : "unrecovered");
      meters.replayed(written);
      done.replayed(gather.recovered(), written);
    });
  }
}
