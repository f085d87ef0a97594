package io.wxgateway.bench;

import java.util.List;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Open-loop pacing: each load event loop sends its share of the aggregate rate on a 1 ms timer,
 * every message stamped with the time it was due ({@code t0 + k / rate}), not the time the timer
 * fired. A sender that falls behind sends the backlog at once and the lateness shows in the latency
 * (coordinated omission corrected), instead of silently lowering the rate.
 */
final class Pacer {

  private Pacer() {
  }

  /**
   * @param clientsByContext for each context, the clients it sends for (round robin)
   */
  static void start(Vertx vertx, List<Context> contexts, List<int[]> clientsByContext, double rate, Phase phase,
      Driver driver) {
    int total = 0;
    for (int[] c : clientsByContext) {
      total += c.length;
    }
    if (total == 0 || rate <= 0) {
      return;
    }
    for (int i = 0; i < contexts.size(); i++) {
      int[] clients = clientsByContext.get(i);
      if (clients.length == 0) {
        continue;
      }
      double share = rate * clients.length / total;
      double period = 1e9 / share;
      long t0 = phase.start + (long) (period * i / contexts.size());
      contexts.get(i).runOnContext(v -> new Loop(vertx, clients, period, t0, phase, driver).start());
    }
  }

  private static final class Loop {
    private final Vertx vertx;
    private final int[] clients;
    private final double period;
    private final long t0;
    private final Phase phase;
    private final Driver driver;
    private long k;
    private long timer;

    Loop(Vertx vertx, int[] clients, double period, long t0, Phase phase, Driver driver) {
      this.vertx = vertx;
      this.clients = clients;
      this.period = period;
      this.t0 = t0;
      this.phase = phase;
      this.driver = driver;
    }

    void start() {
      timer = vertx.setPeriodic(1, id -> tick());
    }

    private void tick() {
      long now = Clock.nanos();
      if (!phase.sending(now)) {
        vertx.cancelTimer(timer);
        return;
      }
      while (true) {
        long intended = t0 + (long) (k * period);
        if (intended > now || intended >= phase.end) {
          break;
        }
        driver.send(clients[(int) (k % clients.length)], intended);
        k++;
      }
    }
  }
}
