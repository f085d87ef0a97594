package io.wxgateway.common.testing;

import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
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

  /** How the socket ended: the code and reason the server sent (1006 when none), and when ({@link System#nanoTime()}). */
  public record Closed(int code, String reason, long atNanos) {
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
        ws.closeStatusCode() == null ? 1006 : ws.closeStatusCode(), ws.closeReason(), System.nanoTime())));
  }

  public static TestSocket connect(Vertx vertx, int port, String uri) {
    return connect(vertx, port, uri, MultiMap.caseInsensitiveMultiMap());
  }

  public static TestSocket connect(Vertx vertx, int port, String uri, MultiMap headers) {
    return connect(vertx, clientOptions(), connectOptions(port, uri).setHeaders(headers));
  }

  /** Connects with any client and connect options (TLS, subprotocols ...). */
  public static TestSocket connect(Vertx vertx, WebSocketClientOptions clientOptions, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions);
    try {
      return new TestSocket(client, client.connect(options).await());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The HTTP status of a handshake the server refuses; fails if it is accepted. */
  public static int rejectedStatus(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(clientOptions());
    try {
      WebSocket ws = client.connect(options).await();
      ws.close();
      throw new AssertionError("the handshake was accepted");
    } catch (UpgradeRejectedException e) {
      return e.getStatus();
    } finally {
      client.close();
    }
  }

  public static WebSocketClientOptions clientOptions() {
    return new WebSocketClientOptions().setMaxMessageSize(1 << 24).setMaxFrameSize(1 << 24);
  }

  public static WebSocketConnectOptions connectOptions(int port, String uri) {
    // Vert.x's client sends an Origin of its own unless told not to; mini programs send none.
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri).setAllowOriginHeader(false);
  }

  /** The subprotocol the server echoed, or null. */
  public String subProtocol() {
    return ws.subProtocol();
  }

  /** The server's certificate chain (wss only). */
  public List<Certificate> peerCertificates() throws SSLPeerUnverifiedException {
    return ws.peerCertificates();
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

  /** Stops reading (the server's writes pile up in TCP buffers, then in its queue), as a slow phone would. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
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
