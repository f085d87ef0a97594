package io.wxgateway.bench;

import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * The relay {@link Driver} over a {@link WsLoad}'s sockets: every socket sends its messages on its own
 * event loop and gets the echo back there; in a closed loop the echo sends the next message.
 */
final class WsRelay implements Driver, WsLoad.MessageHandler {

  private final WsLoad ws;
  private final Payloads payloads;
  private final boolean binary;
  private volatile Phase phase;
  private volatile int window;

  WsRelay(WsLoad ws, Payloads payloads, boolean binary) {
    this.ws = ws;
    this.payloads = payloads;
    this.binary = binary;
  }

  @Override
  public String name() {
    return "relay";
  }

  @Override
  public int clients() {
    return ws.clients();
  }

  @Override
  public void phase(Phase phase, int window) {
    this.window = window;
    this.phase = phase;
  }

  @Override
  public void send(int client, long intendedNanos) {
    WsLoad.Conn c = ws.conn(client);
    Phase p = phase;
    long seq = ++c.seq;
    long now = Clock.nanos();
    if (binary) {
      c.ws.writeBinaryMessage(Buffer.buffer(payloads.bytes(client, seq, intendedNanos, now)));
    } else {
      c.ws.writeTextMessage(payloads.text(client, seq, intendedNanos, now));
    }
    p.onSent(intendedNanos);
  }

  @Override
  public void openLoop(Phase phase, double rate) {
    phase(phase, 0);
    Pacer.start(ws.vertx(), ws.contexts, ws.clientsByLoop(), rate, phase, this);
  }

  @Override
  public void closedLoop(Phase phase, int window) {
    phase(phase, window);
    List<int[]> byLoop = ws.clientsByLoop();
    for (int l = 0; l < ws.contexts.size(); l++) {
      int[] mine = byLoop.get(l);
      ws.contexts.get(l).runOnContext(v -> {
        long now = Clock.nanos();
        for (int client : mine) {
          for (int w = 0; w < window; w++) {
            send(client, now);
          }
        }
      });
    }
  }

  /** The relay's echo: credit the phase, and in a closed loop send the next message. */
  @Override
  public void onMessage(WsLoad.Conn c, Buffer data) {
    Payloads.Parsed parsed = Payloads.parse(data);
    if (parsed == null) {
      return; // a heartbeat or a stranger
    }
    long now = Clock.nanos();
    Phase p = phase;
    if (p == null) {
      return;
    }
    p.onReceived(parsed.intended, parsed.sent, now);
    if (window > 0 && p.owns(parsed.intended) && p.sending(now)) {
      send(c.index, now);
    }
  }
}
