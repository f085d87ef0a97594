package io.wxgateway.bridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;

/**
 * Answers every {@link ReplayRequest} published on {@link BusAddresses#REPLAY} with one
 * {@link ReplayAnswer}, sent to its {@code replyTo}, for the partitions this bridge owns at that
 * moment (none: an empty answer, still sent, so the node knows this bridge has nothing). A request
 * touching a partition being rebuilt waits for it up to {@value #REBUILD_WAIT_MS} ms, then says
 * incomplete for it. Answering releases the session's held pushes.
 *
 * <p>A session that ended without resuming ({@link BusAddresses#SESSION_ENDED}) gets no answer: what
 * its replay would have carried is dead-lettered by {@link HeldPushes#sessionEnded}, after the
 * rebuilds under way (up to their own read limit: no phone waits for it), and the answer carries no
 * pushes. Event loop only.
 */
final class ReplayEndpoint {

  static final long REBUILD_WAIT_MS = 3_000;

  private final Vertx vertx;
  private final String bridgeId;
  private final PushHistory history;
  private final HeldPushes held;
  private final HistoryRebuilder rebuilds;
  private final BridgeMetrics metrics;
  private final Supplier<Set<Integer>> owned;
  private final Supplier<Future<Integer>> partitionCount;
  private MessageConsumer<ReplayRequest> consumer;
  private MessageConsumer<ReplayRequest> endings;

  ReplayEndpoint(Vertx vertx, String bridgeId, PushHistory history, HeldPushes held, HistoryRebuilder rebuilds,
      BridgeMetrics metrics, Supplier<Set<Integer>> owned, Supplier<Future<Integer>> partitionCount) {
    this.vertx = vertx;
    this.bridgeId = bridgeId;
    this.history = history;
    this.held = held;
    this.rebuilds = rebuilds;
    this.metrics = metrics;
    this.owned = owned;
    this.partitionCount = partitionCount;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(BusAddresses.REPLAY, msg -> answer(msg.body()));
    endings = vertx.eventBus().consumer(BusAddresses.SESSION_ENDED, msg -> ended(msg.body()));
    return Future.join(consumer.completion(), endings.completion()).mapEmpty();
  }

  Future<Void> stop() {
    return consumer == null ? Future.succeededFuture()
        : Future.join(consumer.unregister(), endings.unregister()).mapEmpty();
  }

  /** Answered (with no pushes) once the dead letters are under way: the node tells again until every partition is. */
  private void ended(ReplayRequest request) {
    partitionCount.get().otherwise(-1).onComplete(count -> {
      Set<Integer> asked = Set.copyOf(owned.get()); // after the count, as in answer()
      rebuilds.await(asked, HistoryRebuilder.READ_LIMIT_MS).onComplete(rebuilding -> {
        Set<Integer> partitions = new TreeSet<>(asked);
        partitions.retainAll(owned.get());
        PushHistory.Replay missed = history.replay(request, partitions);
        held.sessionEnded(request.sessionId(), missed.pushes(), request.sinceMs(), System.currentTimeMillis());
        vertx.eventBus().send(request.replyTo(), new ReplayAnswer(request.requestId(), bridgeId, count.result(),
            List.copyOf(partitions), missed.complete(), missed.detail(), List.of()));
      });
    });
  }

  private void answer(ReplayRequest request) {
    partitionCount.get().otherwise(-1).onComplete(count -> {
      // The partitions are read after the count: asked first, the count waited on the consumer's
      // thread (behind a group join), and partitions assigned meanwhile were answered for without
      // waiting for their rebuild: a history covering from the assignment, so an unrecovered resume.
      Set<Integer> asked = Set.copyOf(owned.get());
      rebuilds.await(asked, REBUILD_WAIT_MS).onComplete(rebuilding -> send(request, count.result(), asked,
          rebuilding.succeeded() ? rebuilding.result() : Set.of()));
    });
  }

  /** Answers for the partitions asked about that are still this bridge's; a later assignment asks again. */
  private void send(ReplayRequest request, int count, Set<Integer> asked, Set<Integer> stillRebuilding) {
    Set<Integer> partitions = new TreeSet<>(asked);
    partitions.retainAll(owned.get());
    PushHistory.Replay replay = history.replay(request, partitions);
    List<String> why = new ArrayList<>();
    if (replay.detail() != null) {
      why.add(replay.detail());
    }
    stillRebuilding.stream().filter(partitions::contains).sorted()
        .forEach(p -> why.add("partition " + p + ": history still being rebuilt"));
    boolean complete = why.isEmpty();
    List<Delivery> pushes = replay.pushes().stream().map(e -> e.delivery).toList();
    Set<HistoryEntry> replayed = Collections.newSetFromMap(new IdentityHashMap<>());
    replayed.addAll(replay.pushes());
    held.release(request.sessionId(), replayed);
    metrics.replayAnswered(complete);
    metrics.replayed.increment(pushes.size());
    vertx.eventBus().send(request.replyTo(), new ReplayAnswer(request.requestId(), bridgeId, count,
        List.copyOf(partitions), complete, complete ? null : String.join("; ", why), pushes));
  }
}
