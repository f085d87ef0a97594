package io.wxgateway.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.wxgateway.common.testing.TestSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gate on a real Vert.x server socket: the writes of one task leave in one flush, in order, and
 * a socket past its outbound bound still flushes every write at once, as Vert.x alone does.
 */
class FlushGateTest {

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

  /** Counts the flushes that pass the gate towards the socket. */
  private static final class Flushes extends ChannelOutboundHandlerAdapter {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count.incrementAndGet();
      ctx.flush();
    }
  }

  /** A server socket with its gate, a flush counter between the gate and the socket, and its client. */
  private record Gated(ServerWebSocket ws, FlushGate gate, Flushes flushes, TestSocket client) {
  }

  /** Opens a socket and installs the gate and the counter on the socket's loop. */
  private Gated gated() throws Exception {
    TestSocket client = TestSocket.connect(vertx, server.actualPort(), "/ws");
    ServerWebSocket ws = accepted.get(10, TimeUnit.SECONDS);
    Flushes flushes = new Flushes();
    CompletableFuture<FlushGate> gate = new CompletableFuture<>();
    ((WebSocketInternal) ws).channelHandlerContext().executor().execute(() -> {
      FlushGate g = FlushGate.install(ws);
      ((WebSocketInternal) ws).channelHandlerContext().pipeline().addBefore(FlushGate.NAME, "count", flushes);
      gate.complete(g);
    });
    return new Gated(ws, gate.get(10, TimeUnit.SECONDS), flushes, client);
  }

  private static void onLoop(ServerWebSocket ws, Runnable task) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ((WebSocketInternal) ws).channelHandlerContext().executor().execute(() -> {
      task.run();
      done.complete(null);
    });
    done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theWritesOfOneHoldLeaveInOneFlushInTheirOrder() throws Exception {
    Gated g = gated();
    ServerWebSocket ws = g.ws();
    FlushGate gate = g.gate();
    Flushes flushes = g.flushes();
    assertNotNull(gate, "a Vert.x server socket takes a gate");
    onLoop(ws, () -> {
      gate.hold();
      gate.hold(); // a second socket write of the same batch
      for (int i = 0; i < 20; i++) {
        ws.writeTextMessage("m" + i);
      }
      gate.release();
      assertEquals(0, flushes.count.get(), "held until the last release");
      gate.release();
    });
    assertEquals(1, flushes.count.get(), "twenty writes, one flush");
    for (int i = 0; i < 20; i++) {
      assertEquals("m" + i, g.client().next().asText());
    }
    onLoop(ws, () -> ws.writeTextMessage("alone"));
    assertEquals(2, flushes.count.get(), "without a hold every write flushes, as in Vert.x");
    assertEquals("alone", g.client().next().asText());
    assertNull(FlushGate.install(ws), "one gate per socket");
  }

  @Test
  void aSocketPastItsBoundFlushesAtOnceEvenWhenHeld() throws Exception {
    Gated g = gated();
    ServerWebSocket ws = g.ws();
    FlushGate gate = g.gate();
    Flushes flushes = g.flushes();
    onLoop(ws, () -> {
      ws.setWriteQueueMaxSize(1024);
      gate.hold();
      ws.writeBinaryMessage(Buffer.buffer(new byte[100]));
      assertEquals(0, flushes.count.get(), "under the bound: held");
      ws.writeBinaryMessage(Buffer.buffer(new byte[4096])); // past the high-water mark: unwritable
      assertEquals(1, flushes.count.get(), "past the bound the frames go to the kernel at once");
      gate.release();
    });
    assertEquals(100, g.client().next().data().length());
    assertEquals(4096, g.client().next().data().length());
  }
}
