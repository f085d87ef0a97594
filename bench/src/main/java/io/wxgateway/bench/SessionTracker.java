package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The client side of the session protocol (docs/sessions.md) for many bench sockets: what each
 * session's welcome said (its token and connection id), the pushes it took (once per position, as the
 * SDK drops duplicates) and when it was told it had recovered. Indexed by the socket's index in its
 * {@link WsLoad}; each slot is written only on that socket's event loop, the counters from any.
 */
final class SessionTracker implements WsLoad.MessageHandler {

  static final String SUBPROTOCOL = "wx.session.v1";

  final String[] tokens;
  final String[] connectionIds;
  private final Set<String>[] positions;
  private final boolean[] recoveredTrue;
  final AtomicInteger welcomed = new AtomicInteger();
  final AtomicInteger resumed = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger recovered = new AtomicInteger();
  final AtomicInteger notRecovered = new AtomicInteger();
  final AtomicLong pushes = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicInteger complete = new AtomicInteger();
  private final int pushesEach;
  /** When each session's hello was sent (Clock nanos), for its time to recover. */
  final long[] helloAt;
  final org.HdrHistogram.Recorder recoverMicros = new org.HdrHistogram.Recorder(1, Phase.HIGHEST_MICROS, 3);
  volatile String firstProblem;
  volatile long allCompleteAt;

  @SuppressWarnings("unchecked")
  SessionTracker(int sessions, int pushesEach) {
    tokens = new String[sessions];
    connectionIds = new String[sessions];
    positions = new Set[sessions];
    recoveredTrue = new boolean[sessions];
    helloAt = new long[sessions];
    this.pushesEach = pushesEach;
  }

  /** Forgets what the sessions were told since the welcomes (tokens stay): for the resume round. */
  void resetForResume() {
    welcomed.set(0);
    for (int i = 0; i < positions.length; i++) {
      positions[i] = null;
      recoveredTrue[i] = false;
    }
  }

  static String hello(String token) {
    return token == null ? "{\"t\":\"hello\",\"v\":1}" : "{\"t\":\"hello\",\"v\":1,\"resume\":\"" + token + "\"}";
  }

  @Override
  public void onMessage(WsLoad.Conn conn, Buffer data) {
    int nl = indexOf(data, (byte) '\n');
    JsonObject header = new JsonObject(nl < 0 ? data.toString(StandardCharsets.UTF_8)
        : data.getString(0, nl, "UTF-8"));
    int i = conn.index;
    switch (header.getString("t", "")) {
      case "welcome" -> welcome(i, header);
      case "push" -> push(i, header.getString("p"));
      case "recovered" -> {
        if (header.getBoolean("recovered", false)) {
          recovered.incrementAndGet();
          recoveredTrue[i] = true;
          checkComplete(i);
        } else {
          notRecovered.incrementAndGet();
          problem("session " + i + " not recovered: " + header.encode());
        }
      }
      default -> { }
    }
  }

  private void welcome(int i, JsonObject header) {
    tokens[i] = header.getString("token");
    connectionIds[i] = header.getString("connectionId");
    if (header.getBoolean("resumed", false)) {
      resumed.incrementAndGet();
    } else if (header.containsKey("reason")) {
      refused.incrementAndGet();
      problem("session " + i + " refused: " + header.getString("reason"));
    }
    welcomed.incrementAndGet();
  }

  private void push(int i, String position) {
    if (positions[i] == null) {
      positions[i] = new HashSet<>();
    }
    if (positions[i].add(position)) {
      pushes.incrementAndGet();
      checkComplete(i);
    } else {
      duplicates.incrementAndGet();
    }
  }

  private void checkComplete(int i) {
    if (recoveredTrue[i] && positions[i] != null && positions[i].size() == pushesEach) {
      long now = Clock.nanos();
      recoverMicros.recordValue(Math.max(1, Math.min(Phase.HIGHEST_MICROS, (now - helloAt[i]) / 1000)));
      if (complete.incrementAndGet() == tokens.length) {
        allCompleteAt = now;
      }
    }
  }

  private void problem(String p) {
    if (firstProblem == null) {
      firstProblem = p;
    }
  }

  /** Pushes each session is missing now, summed. */
  long missing() {
    long missing = 0;
    for (Set<String> p : positions) {
      missing += pushesEach - (p == null ? 0 : p.size());
    }
    return missing;
  }

  private static int indexOf(Buffer b, byte c) {
    for (int i = 0; i < b.length(); i++) {
      if (b.getByte(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
