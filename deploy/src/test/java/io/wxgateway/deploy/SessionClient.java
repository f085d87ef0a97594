package io.wxgateway.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.TestSocket;

/**
 * A client of the session protocol (docs/sessions.md) as the SDK speaks it, written from the spec:
 * hello (with a resume token or not), pushes with positions, duplicates dropped by position, acks.
 * What the application would see is {@link #seen()}: each push once, in arrival order.
 */
final class SessionClient implements AutoCloseable {

  static final String SUBPROTOCOL = "wx.session.v1";

  /** One frame from the gateway: its header line and its body (null when none). */
  record Frame(JsonObject header, String body) {
    String type() {
      return header.getString("t");
    }
  }

  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final Set<String> positions = new LinkedHashSet<>();
  private final List<String> seen = new ArrayList<>();
  private volatile boolean closed;

  private SessionClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(t -> frames.add(parse(t)));
    ws.binaryMessageHandler(b -> frames.add(parse(b.toString())));
    ws.closeHandler(v -> closed = true);
  }

  /** Connects through {@code port} (a node, or a {@link CutProxy} in front of one) and says hello. */
  static SessionClient connect(Vertx vertx, int port, String uri, String resumeToken) {
    WebSocketClient client = vertx.createWebSocketClient(TestSocket.clientOptions());
    WebSocket ws = client.connect(TestSocket.connectOptions(port, uri).addSubProtocol(SUBPROTOCOL)).await();
    SessionClient c = new SessionClient(client, ws);
    JsonObject hello = new JsonObject().put("t", "hello").put("v", 1);
    if (resumeToken != null) {
      hello.put("resume", resumeToken);
    }
    c.sendFrame(hello);
    return c;
  }

  /**
   * Resumes {@code earlier}'s session through {@code port}, remembering the positions it took, as the SDK does
   * across reconnects: a push whose ack the cut swallowed comes again and is dropped, not seen twice.
   */
  static SessionClient resume(Vertx vertx, int port, String uri, String resumeToken, SessionClient earlier) {
    SessionClient c = connect(vertx, port, uri, resumeToken);
    c.positions.addAll(earlier.positions);
    return c;
  }

  String subProtocol() {
    return ws.subProtocol();
  }

  void sendFrame(JsonObject header) {
    ws.writeTextMessage(header.encode()).await();
  }

  void sendMessage(String text) {
    ws.writeTextMessage("{\"t\":\"msg\"}\n" + text).await();
  }

  /** The next frame of that type; pushes met on the way are taken as the SDK would (dedupe, then seen). */
  Frame await(String type) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      Frame f = poll(deadline);
      if (f == null) {
        break;
      }
      if ("push".equals(f.type())) {
        take(f);
      }
      if (type.equals(f.type())) {
        return f;
      }
    }
    throw new AssertionError("no '" + type + "' frame within 20 s; seen " + seen);
  }

  /** Until the application has seen {@code count} pushes in all. */
  List<String> awaitSeen(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (seen.size() < count && System.nanoTime() < deadline) {
      Frame f = poll(deadline);
      if (f != null && "push".equals(f.type())) {
        take(f);
      }
    }
    if (seen.size() < count) {
      throw new AssertionError("saw " + seen.size() + " of " + count + " pushes: " + seen);
    }
    return List.copyOf(seen);
  }

  /** Pushes that arrive within {@code quiet} (none expected, usually). */
  List<String> drain(Duration quiet) {
    long deadline = System.nanoTime() + quiet.toNanos();
    Frame f;
    while ((f = poll(deadline)) != null) {
      if ("push".equals(f.type())) {
        take(f);
      }
    }
    return List.copyOf(seen);
  }

  /** Acknowledges every position taken so far. */
  void ackAll() {
    sendFrame(new JsonObject().put("t", "ack").put("p", new JsonArray(new ArrayList<>(positions))));
  }

  List<String> seen() {
    return List.copyOf(seen);
  }

  Set<String> positions() {
    return Set.copyOf(positions);
  }

  boolean isClosed() {
    return closed;
  }

  private void take(Frame push) {
    if (positions.add(push.header().getString("p"))) {
      seen.add(push.body());
    }
  }

  private Frame poll(long deadlineNanos) {
    try {
      return frames.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Frame parse(String frame) {
    int nl = frame.indexOf('\n');
    return nl < 0 ? new Frame(new JsonObject(frame), null)
        : new Frame(new JsonObject(frame.substring(0, nl)), frame.substring(nl + 1));
  }

  @Override
  public void close() {
    if (!closed) {
      try {
        ws.close().await();
      } catch (RuntimeException ignored) {
        // the connection is already gone
      }
    }
    client.close();
  }
}
