package io.wxgateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * The baseline server: a bare Vert.x WebSocket server with the gateway's server options and nothing
 * else (no handshake checks, no registry, no Kafka). Same event loops as the gateway. It measures what
 * a socket costs in Vert.x itself (handshakes/s, heap per socket) and how fast Vert.x can push messages
 * to the sockets (fanout). {@code main} runs it as a child JVM: {@code BareServer <port>} prints
 * {@code READY <port>} once it listens.
 */
final class BareServer {

  /** The sockets of one event loop, touched only on it. */
  static final class Loop {
    final Context context;
    final List<ServerWebSocket> sockets = new ArrayList<>();

    Loop(Context context) {
      this.context = context;
    }
  }

  final List<Loop> loops = new ArrayList<>();
  final AtomicInteger sockets = new AtomicInteger();
  private int port;

  /** Deploys one server instance per event loop of {@code vertx}, on {@code port} (0: a free one). */
  Future<Integer> start(Vertx vertx, int instances, int port) {
    int listenPort = port == 0 ? Environment.freePort() : port;
    List<Loop> found = java.util.Collections.synchronizedList(new ArrayList<>());
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Loop loop = new Loop(context);
        found.add(loop);
        return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(listenPort)
                .setMaxWebSocketFrameSize(128 * 1024).setMaxWebSocketMessageSize(64 * 1024)
                .setRegisterWebSocketWriteHandlers(false).setHttp2ClearTextEnabled(false)
                // as the gateway's (GatewayVerticle); -Dwx.bench.strictThreadMode=false shows what it saves
                .setStrictThreadMode(!"false".equals(System.getProperty("wx.bench.strictThreadMode"))))
            .webSocketHandler(ws -> {
              loop.sockets.add(ws);
              sockets.incrementAndGet();
              ws.handler(data -> { });
              ws.closeHandler(v -> {
                loop.sockets.remove(ws);
                sockets.decrementAndGet();
              });
            }).listen();
      }
    }, new DeploymentOptions().setInstances(instances)).map(id -> {
      loops.addAll(found);
      this.port = listenPort;
      return listenPort;
    });
  }

  int port() {
    return port;
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int p = new BareServer().start(vertx, 2 * Runtime.getRuntime().availableProcessors(), port).await();
    System.out.println("READY " + p);
    System.out.flush();
    Thread.currentThread().join();
  }
}
