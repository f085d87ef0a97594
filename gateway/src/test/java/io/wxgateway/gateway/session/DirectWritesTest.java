package io.wxgateway.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import io.wxgateway.common.testing.TestSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On the Vert.x the gateway ships with, an upgraded socket takes the direct write path (this test
 * fails on a Vert.x whose internals moved, rather than the saving going unnoticed), and a socket on
 * it still writes in order, fills when its client stops reading and drains when it reads again.
 */
class DirectWritesTest {

  private static final int MESSAGE_BYTES = 64 * 1024;

  private Vertx vertx;
  private HttpServer server;
  private final CompletableFuture<ServerWebSocket> accepted = new CompletableFuture<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setStrictThreadMode(true))
        .webSocketHandler(accepted::complete);
    server.listen().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static <T> T onLoop(ServerWebSocket ws, java.util.function.Supplier<T> task) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    ((WebSocketInternal) ws).channelHandlerContext().executor().execute(() -> done.complete(task.get()));
    return done.get(10, TimeUnit.SECONDS);
  }

  private static String queueOf(ServerWebSocket ws) throws Exception {
    VertxConnection conn = ((VertxHandler<?>) ((WebSocketInternal) ws).channelHandlerContext().handler()).getConnection();
    Field queue = VertxConnection.class.getDeclaredField("outboundMessageQueue");
    queue.setAccessible(true);
    return queue.get(conn).getClass().getSimpleName();
  }

  @Test
  void anUpgradedSocketWritesDirectlyAndInOrder() throws Exception {
    TestSocket client = TestSocket.connect(vertx, server.actualPort(), "/ws");
    ServerWebSocket ws = accepted.get(10, TimeUnit.SECONDS);
    assertEquals("InternalMessageChannel", queueOf(ws), "Vert.x's thread-safe queue, before");
    assertTrue(onLoop(ws, () -> DirectWrites.apply(ws)), "the swap applies on this Vert.x");
    assertEquals("DirectOutboundMessageQueue", queueOf(ws));
    onLoop(ws, () -> {
      for (int i = 0; i < 100; i++) {
        ws.writeTextMessage("m" + i);
      }
      return null;
    });
    for (int i = 0; i < 100; i++) {
      assertEquals("m" + i, client.next().asText());
    }
  }

  @Test
  void aSocketWhoseClientStopsReadingFillsAndDrainsAsItsChannel() throws Exception {
    TestSocket client = TestSocket.connect(vertx, server.actualPort(), "/ws");
    ServerWebSocket ws = accepted.get(10, TimeUnit.SECONDS);
    CompletableFuture<Void> drained = new CompletableFuture<>();
    client.pause();
    int written = onLoop(ws, () -> {
      DirectWrites.apply(ws);
      OutboundBound.apply(ws, 1024 * 1024);
      ws.drainHandler(v -> drained.complete(null));
      int n = 0;
      while (!ws.writeQueueFull() && n < 4_000) { // 250 MB at most: far past any loopback buffer
        Buffer message = Buffer.buffer(new byte[MESSAGE_BYTES]).setInt(0, n++);
        ws.writeBinaryMessage(message);
      }
      return n;
    });
    assertTrue(written < 4_000, "the socket filled once the kernel's buffers did: " + written + " messages");
    assertTrue(onLoop(ws, ws::writeQueueFull), "still full while the client does not read");
    client.resume();
    drained.get(30, TimeUnit.SECONDS);
    for (int i = 0; i < written; i++) {
      TestSocket.Received message = client.next();
      assertEquals(MESSAGE_BYTES, message.data().length());
      assertEquals(i, message.data().getInt(0), "in order, none lost");
    }
  }
}
