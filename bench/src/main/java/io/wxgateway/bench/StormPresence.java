package io.wxgateway.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wxgateway.common.bus.Presence;

/**
 * The storm's users in the gateway's presence map (users {@code u0 ... u<n-1>}), read in this JVM
 * through the runtime's own Vert.x: local to the process on one node, as the bridge reads it there.
 */
final class StormPresence {

  private final Presence presence;
  private final int users;

  StormPresence(Vertx gateway, int users) {
    this.presence = new Presence(gateway);
    this.users = users;
  }

  /**
   * Polls (every 5 ms, only the users not yet seen online) until every user is online; the time it
   * saw the last one, or 0 at the deadline.
   */
  long settledAt(long deadlineNanos) throws InterruptedException {
    Set<String> pending = new LinkedHashSet<>();
    for (int i = 0; i < users; i++) {
      pending.add("u" + i);
    }
    while (true) {
      List<String> asked = new ArrayList<>(pending);
      List<Future<Boolean>> answers = new ArrayList<>(asked.size());
      for (String user : asked) {
        answers.add(presence.isOnline(user));
      }
      Future.join(answers).await();
      for (int i = 0; i < asked.size(); i++) {
        if (answers.get(i).succeeded() && answers.get(i).result()) {
          pending.remove(asked.get(i));
        }
      }
      long now = Clock.nanos();
      if (pending.isEmpty()) {
        return now;
      }
      if (now > deadlineNanos) {
        return 0;
      }
      Thread.sleep(5);
    }
  }
}
