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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** How many times the end of a suspended session is told to the bridges before giving up. */
  static final int END_ATTEMPTS = 12;
  private static final Logger LOG = LoggerFactory.getLogger(Replayer.class);

  private final Vertx vertx;
  private final String nodeId;
  private final long timeoutMs;
  private final SessionMeters meters;
  private final Map<String, ReplayGather> replays = new ConcurrentHashMap<>();
  private MessageConsumer<ReplayAnswer> answers;
  private MessageConsumer<String> assignments;

  Replayer(Vertx vertx, String nodeId, long timeoutMs, SessionMeters meters) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.timeoutMs = timeoutMs;
    this.meters = meters;
  }

  Future<Void> start() {
    answers = vertx.eventBus().consumer(BusAddresses.replayAnswers(nodeId), m -> onAnswer(m.body()));
    assignments = vertx.eventBus().consumer(BusAddresses.BRIDGE_ASSIGNED,
        m -> replays.values().forEach(g -> g.reask.run()));
    return Future.join(answers.completion(), assignments.completion()).mapEmpty();
  }

  Future<Void> close() {
    return answers == null ? Future.succeededFuture()
        : Future.join(answers.unregister(), assignments.unregister()).mapEmpty();
  }

  /**
   * Asks the bridges for what {@code session} missed since {@code acked} (elsewhere since {@code sinceMs}),
   * again whenever a bridge is assigned partitions until their answers cover every partition: a
   * bridge that has just started owns none until its group's assignment, and answers for none.
   */
  void replay(SessionSocket socket, SessionRecord session, Map<Integer, Long> acked, long sinceMs, Done done) {
    ReplayRequest request = new ReplayRequest(UUID.randomUUID().toString(), session.id(),
        BusAddresses.replayAnswers(nodeId), targets(session), acked, sinceMs);
    ReplayGather gather = new ReplayGather();
    replays.put(request.requestId(), gather);
    gather.whenCovered = () -> finish(request.requestId(), socket, done);
    gather.timer = vertx.setTimer(timeoutMs, t -> finish(request.requestId(), socket, done));
    gather.reask = () -> vertx.eventBus().publish(BusAddresses.REPLAY, request);
    vertx.eventBus().publish(BusAddresses.REPLAY, request);
  }

  /**
   * {@code session} ended while suspended: the bridges dead-letter what a resume would have replayed,
   * the pushes to its targets after its acknowledged positions (elsewhere since its suspension), and
   * answer with no pushes. Published again when a bridge is assigned partitions, and each
   * {@code timeoutMs} until the answers cover every partition (a bridge restarting owns none
   * meanwhile), at most {@value #END_ATTEMPTS} times.
   */
  void ended(SessionRecord session) {
    ended(session, 1);
  }

  private void ended(SessionRecord session, int attempt) {
    ReplayRequest request = new ReplayRequest(UUID.randomUUID().toString(), session.id(),
        BusAddresses.replayAnswers(nodeId), targets(session), session.acked(), session.suspendedAt());
    ReplayGather gather = new ReplayGather();
    replays.put(request.requestId(), gather);
    gather.whenCovered = () -> {
      if (replays.remove(request.requestId(), gather) && gather.finish()) {
        vertx.cancelTimer(gather.timer);
      }
    };
    gather.timer = vertx.setTimer(timeoutMs, t -> {
      if (!replays.remove(request.requestId(), gather) || !gather.finish()) {
        return;
      }
      if (attempt < END_ATTEMPTS) {
        ended(session, attempt + 1);
      } else {
        LOG.warn("session {} ended, but the bridges did not answer for every partition in {} attempts ({}): "
            + "pushes held for it there may not be dead-lettered", session.id(), attempt, gather.reason());
      }
    });
    gather.reask = () -> vertx.eventBus().publish(BusAddresses.SESSION_ENDED, request);
    vertx.eventBus().publish(BusAddresses.SESSION_ENDED, request);
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
