package io.wxgateway.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's array of sockets (fakes, on a real event loop): every socket added is ticked each
 * second until removed, also when the removal or the addition happens during a walk, and a socket
 * whose tick throws does not stop the others.
 */
class SocketSupervisorTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();
  private final SocketSupervisor supervisor = new SocketSupervisor(vertx);
  private final Map<String, AtomicInteger> ticks = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A connection that counts its ticks and runs {@code onTick} on each. */
  private Connection socket(String id, Consumer<Connection> onTick) {
    AtomicInteger count = ticks.computeIfAbsent(id, k -> new AtomicInteger());
    Connection[] self = new Connection[1];
    self[0] = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "tick" -> {
            count.incrementAndGet();
            onTick.accept(self[0]);
            yield null;
          }
          case "connectionId", "toString" -> id;
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
    return self[0];
  }

  private void onLoop(Runnable task) {
    loop.runOnContext(v -> task.run());
  }

  @Test
  void everySocketIsTickedUntilRemovedEvenWhenTheWalkChangesTheArray() {
    Connection[] late = new Connection[1];
    List<Connection> sockets = List.of(socket("a", c -> { }), socket("b", c -> supervisor.remove(c)),
        socket("c", c -> { throw new IllegalStateException("a socket that fails its tick"); }),
        socket("d", c -> {
          if (late[0] == null) {
            late[0] = socket("late", x -> { });
            supervisor.add(late[0]); // added during the walk
          }
        }));
    onLoop(() -> {
      for (int i = 0; i < 40; i++) { // past the array's first size
        supervisor.add(socket("filler-" + i, c -> { }));
      }
      sockets.forEach(supervisor::add);
      supervisor.start();
    });
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> ticks.get("a").get() >= 3);
    onLoop(() -> supervisor.remove(sockets.get(0)));
    int aAtRemoval = ticks.get("a").get();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> ticks.get("d").get() >= aAtRemoval + 2);

    assertEquals(1, ticks.get("b").get(), "removed during its own tick: never ticked again");
    assertEquals(ticks.get("d").get(), ticks.get("c").get(), "a throwing tick does not stop the walk");
    assertEquals(ticks.get("d").get(), ticks.get("filler-39").get());
    assertEquals(ticks.get("d").get() - 1, ticks.get("late").get(), "added during a walk: ticked from the next");
    int a = ticks.get("a").get();
    assertEquals(true, a <= aAtRemoval + 1, "removed: at most the tick already under way, got " + a);
  }
}
