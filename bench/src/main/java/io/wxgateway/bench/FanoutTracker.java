package io.wxgateway.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.buffer.Buffer;

/** Tracks the deliveries of every record in flight; writes the next record when one is complete (closed loop). */
final class FanoutTracker implements WsLoad.MessageHandler, Driver {
  final Phase phase;
  final String mode;
  final FanoutPusher pusher;
  final int n;
  final int spu;
  final int window;
  final Payloads payloads;
  final Map<Long, AtomicInteger> remaining = new ConcurrentHashMap<>();
  final AtomicLong seq = new AtomicLong();
  final AtomicLong completed = new AtomicLong();

  FanoutTracker(Phase phase, String mode, FanoutPusher pusher, int n, int spu, int window, Payloads payloads) {
    this.phase = phase;
    this.mode = mode;
    this.pusher = pusher;
    this.n = n;
    this.spu = spu;
    this.window = window;
    this.payloads = payloads;
  }

  int fanOf(long record) {
    return switch (mode) {
      case "connection" -> 1;
      case "user" -> {
        int users = (n + spu - 1) / spu;
        int user = (int) (record % users);
        yield Math.min(spu, n - user * spu);
      }
      default -> n;
    };
  }

  @Override
  public void send(int client, long intended) {
    long s = seq.incrementAndGet();
    int fan = fanOf(s);
    remaining.put(s, new AtomicInteger(fan));
    phase.onSent(intended, fan);
    pusher.push(mode, s, s, payloads.text(0, s, intended, Clock.nanos()));
  }

  @Override
  public void onMessage(WsLoad.Conn conn, Buffer data) {
    Payloads.Parsed parsed = Payloads.parse(data);
    if (parsed == null) {
      return;
    }
    long now = Clock.nanos();
    phase.onReceived(parsed.intended, parsed.sent, now);
    AtomicInteger left = remaining.get(parsed.seq);
    if (left != null && left.decrementAndGet() == 0) {
      remaining.remove(parsed.seq);
      completed.incrementAndGet();
      if (window > 0 && phase.owns(parsed.intended) && phase.sending(now)) {
        send(0, now);
      }
    }
  }

  @Override
  public String name() {
    return "fanout";
  }

  @Override
  public int clients() {
    return 1;
  }

  @Override
  public void phase(Phase p, int w) {
  }

  @Override
  public void openLoop(Phase p, double rate) {
  }

  @Override
  public void closedLoop(Phase p, int w) {
  }
}
