package io.wxgateway.common.testing;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;

/**
 * A real WebSocket client for tests (Vert.x's), with blocking helpers: call them from the test
 * thread, never from an event loop. Received messages queue up in arrival order.
 */
public final class TestSocket implements AutoCloseable {

  /** A received message: text or binary. */
  public record Received(boolean text, Buffer data) {
    public String asText() {
      return data.toString();
    }
  }

  /** How the socket ended: the code and reason the server sent, or 1006 when none. */
  public record Closed(int code, String reason) {
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();

  private TestSocket(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(s -> received.add(new Received(true, Buffer.buffer(s))));
    ws.binaryMessageHandler(b -> received.add(new Received(false, b)));
    ws.closeHandler(v -> closed.complete(new Closed(
        ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode(), ws.closeReason())));
  }

  public static TestSocket connect(Vertx vertx, int port, String uri) {
    return connect(vertx, port, uri, MultiMap.caseInsensitiveMultiMap());
  }

  public static TestSocket connect(Vertx vertx, int port, String uri, MultiMap headers) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 24)
        .setMaxFrameSize(1 << 24));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(uri).setHeaders(headers);
    WebSocket ws = client.connect(options).await();
    return new TestSocket(client, ws);
  }

  public TestSocket sendText(String text) {
    ws.writeTextMessage(text).await();
    return this;
  }

  public TestSocket sendBinary(Buffer data) {
    ws.writeBinaryMessage(data).await();
    return this;
  }

  public TestSocket sendFrame(WebSocketFrame frame) {
    ws.writeFrame(frame).await();
    return this;
  }

  /** The next message, failing after 20 s. */
  public Received next() {
    try {
      Received r = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (r == null) {
        throw new AssertionError("no message within " + TIMEOUT);
      }
      return r;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Messages received so far and not yet taken by {@link #next()}. */
  public int pending() {
    return received.size();
  }

  /** Waits until the server closes the socket (or the connection drops). */
  public Closed awaitClose() {
    try {
      return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket did not close within " + TIMEOUT, e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  public void close(short code, String reason) {
    ws.close(code, reason).await();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.close().await();
    }
    client.close();
  }
}
