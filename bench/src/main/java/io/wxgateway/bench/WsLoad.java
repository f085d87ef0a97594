package io.wxgateway.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import org.HdrHistogram.Recorder;

/**
 * The WebSocket side of the load generator: N sockets spread over a few event loops of the bench's
 * own Vert.x and over several loopback source addresses (127.0.0.2, 127.0.0.3 ...: each address has
 * its own 64k ephemeral ports), and the relay {@link WsRelay} over them: a socket sends on its own
 * event loop, the echo comes back on the same loop, no thread hop on the client side.
 */
final class WsLoad implements AutoCloseable {

  /** One socket; touched only on its event loop once connected. */
  static final class Conn {
    /** Position in {@link #conns}, the client number in payloads. */
    int index;
    final int loop;
    final Context context;
    WebSocket ws;
    long seq;

    Conn(int index, int loop, Context context) {
      this.index = index;
      this.loop = loop;
      this.context = context;
    }
  }

  /** What arrives on a socket; the relay's own handler unless a scenario sets another. */
  interface MessageHandler {
    void onMessage(Conn conn, Buffer data);
  }

  /** How opening the sockets went. */
  record ConnectStats(int requested, int opened, int failed, String firstError, long elapsedNanos,
      org.HdrHistogram.Histogram handshakeMicros) {
    double perSecond() {
      return elapsedNanos == 0 ? 0 : opened / (elapsedNanos / 1e9);
    }
  }

  /** How long one handshake may take before it counts as failed, in ms. */
  static final long HANDSHAKE_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  final List<Context> contexts = new ArrayList<>();
  final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<String> sources;
  final List<Conn> conns = Collections.synchronizedList(new ArrayList<>());
  private volatile Conn[] array = new Conn[0];
  private final WsRelay relay;
  private volatile MessageHandler handler;
  final AtomicLong closedByServer = new AtomicLong();
  final AtomicLong socketErrors = new AtomicLong();
  final AtomicReference<String> lastClose = new AtomicReference<>();
  private volatile String subprotocol;

  WsLoad(Vertx vertx, int loops, List<String> sources, Payloads payloads, boolean binary) {
    this(vertx, loops, sources, payloads, binary, -1);
  }

  WsLoad(Vertx vertx, int loops, List<String> sources, Payloads payloads, boolean binary, int receiveBuffer) {
    this.vertx = vertx;
    this.sources = sources.isEmpty() ? Collections.singletonList(null) : sources;
    this.relay = new WsRelay(this, payloads, binary);
    this.handler = relay;
    List<Context> found = Collections.synchronizedList(new ArrayList<>());
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        found.add(context);
        threads.add(Thread.currentThread());
        // The gateway's event loops have the same default names: rename ours for profiles and CPU shares.
        if (!Thread.currentThread().getName().startsWith("wx-bench-")) {
          Thread.currentThread().setName("wx-bench-client-" + Thread.currentThread().getName());
        }
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(loops)).await();
    contexts.addAll(found);
    for (String source : this.sources) {
      WebSocketClientOptions o = new WebSocketClientOptions()
          .setMaxConnections(Integer.MAX_VALUE)
          .setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20)
          .setConnectTimeout(30_000)
          .setTcpNoDelay(true);
      if (source != null) {
        o.setLocalAddress(source);
      }
      if (receiveBuffer > 0) {
        o.setReceiveBufferSize(receiveBuffer);
      }
      clients.add(vertx.createWebSocketClient(o));
    }
  }

  /** {@code 127.0.0.2 ... 127.0.0.(k+1)}; none for k = 0 or a non-loopback target. */
  static List<String> sourceAddresses(int k, URI target) {
    List<String> out = new ArrayList<>();
    String host = target.getHost();
    boolean loopback = host.equals("localhost") || host.startsWith("127.");
    for (int i = 0; loopback && i < k && i < 250; i++) {
      out.add("127.0.0." + (i + 2));
    }
    return out;
  }

  void handler(MessageHandler h) {
    this.handler = h;
  }

  /** The subprotocol the next {@link #connect}s offer (null: none). */
  void subprotocol(String subprotocol) {
    this.subprotocol = subprotocol;
  }

  /**
   * Opens {@code n} more sockets to {@code endpoints} (round robin), at most {@code concurrency}
   * handshakes at a time, and waits for all of them. {@code uriFor} gives each socket's path and query.
   */
  ConnectStats connect(List<URI> endpoints, int n, int concurrency, IntFunction<String> uriFor)
      throws InterruptedException {
    Semaphore permits = new Semaphore(concurrency);
    AtomicLong failed = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    Recorder handshakes = new Recorder(1, Phase.HIGHEST_MICROS, 3);
    int base = conns.size();
    List<Conn> opened = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int index = base + i;
      URI endpoint = endpoints.get(index % endpoints.size());
      int loop = index % contexts.size();
      Context ctx = contexts.get(loop);
      WebSocketClient client = clients.get((index / contexts.size()) % clients.size());
      WebSocketConnectOptions options = new WebSocketConnectOptions()
          .setHost(endpoint.getHost()).setPort(endpoint.getPort()).setURI(uriFor.apply(index))
          .setAllowOriginHeader(false)
          .setTimeout(HANDSHAKE_TIMEOUT_MS); // a handshake that never completes fails instead of hanging the run
      if (subprotocol != null) {
        options.addSubProtocol(subprotocol);
      }
      if (!permits.tryAcquire(HANDSHAKE_TIMEOUT_MS + 30_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("no handshake completed within their timeout; opened " + opened.size()
            + " of " + n + ", failed " + failed.get() + " (first error: " + firstError.get() + ")");
      }
      ctx.runOnContext(v -> {
        long t = System.nanoTime();
        client.connect(options).onComplete(ar -> {
          try {
            if (ar.succeeded()) {
              handshakes.recordValue(Math.max(1, Math.min(Phase.HIGHEST_MICROS, (System.nanoTime() - t) / 1000)));
              opened.add(track(ar.result(), index, loop, ctx));
            } else {
              failed.incrementAndGet();
              firstError.compareAndSet(null, String.valueOf(ar.cause()));
            }
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            firstError.compareAndSet(null, String.valueOf(e));
          } finally {
            permits.release(); // whatever happened: a leaked permit would hang the run
          }
        });
      });
    }
    if (!permits.tryAcquire(concurrency, HANDSHAKE_TIMEOUT_MS + 30_000, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(String.format("%d of %d handshakes still pending after their timeout; "
          + "opened %d, failed %d (first error: %s)", concurrency - permits.availablePermits(), n, opened.size(),
          failed.get(), firstError.get()));
    }
    long elapsed = System.nanoTime() - start;
    permits.release(concurrency);
    opened.sort((a, b) -> Integer.compare(a.index, b.index));
    synchronized (conns) {
      for (Conn c : opened) {
        c.index = conns.size();
        conns.add(c);
      }
      array = conns.toArray(new Conn[0]);
    }
    return new ConnectStats(n, opened.size(), (int) failed.get(), firstError.get(), elapsed,
        handshakes.getIntervalHistogram());
  }

  private Conn track(WebSocket ws, int index, int loop, Context ctx) {
    Conn c = new Conn(index, loop, ctx);
    c.ws = ws;
    ws.handler(data -> handler.onMessage(c, data));
    ws.closeHandler(x -> {
      closedByServer.incrementAndGet();
      lastClose.set(ws.closeStatusCode() + " " + ws.closeReason());
    });
    ws.exceptionHandler(e -> socketErrors.incrementAndGet());
    return c;
  }

  /** Closes every socket (1000) and waits up to {@code timeoutMs} for the close handshakes. */
  void closeAll(long timeoutMs) throws InterruptedException {
    List<Conn> all = forgetAll();
    Semaphore done = new Semaphore(0);
    for (Conn c : all) {
      c.context.runOnContext(v -> c.ws.close().onComplete(ar -> done.release()));
    }
    done.tryAcquire(all.size(), timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Stops tracking every socket (the next {@link #connect} numbers from 0 again) and returns them. */
  List<Conn> forgetAll() {
    synchronized (conns) {
      List<Conn> all = new ArrayList<>(conns);
      conns.clear();
      array = new Conn[0];
      return all;
    }
  }

  /** The relay over these sockets (every socket's echo feeds it unless {@link #handler} replaced it). */
  Driver relay() {
    return relay;
  }

  /** Sockets open and tracked. */
  int clients() {
    return array.length;
  }

  /** Socket number {@code index}, for its event loop only. */
  Conn conn(int index) {
    return array[index];
  }

  Vertx vertx() {
    return vertx;
  }

  /** Connection indices grouped by their event loop. */
  List<int[]> clientsByLoop() {
    List<List<Integer>> lists = new ArrayList<>();
    for (int i = 0; i < contexts.size(); i++) {
      lists.add(new ArrayList<>());
    }
    synchronized (conns) {
      for (int i = 0; i < conns.size(); i++) {
        lists.get(conns.get(i).loop).add(i);
      }
    }
    List<int[]> out = new ArrayList<>();
    for (List<Integer> l : lists) {
      out.add(l.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  @Override
  public void close() {
    for (WebSocketClient c : clients) {
      try {
        c.shutdown(5, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
      } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
        // closing anyway: the client's sockets go with the Vert.x instance
      }
    }
  }
}
