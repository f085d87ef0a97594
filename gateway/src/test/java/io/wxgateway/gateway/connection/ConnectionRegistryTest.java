package io.wxgateway.gateway.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The registry's sockets by user: snapshots, presence at the first and the last socket, stand-ins, many threads. */
class ConnectionRegistryTest {

  /** Records presence changes, in order. */
  private static final class Presence implements UserPresenceListener {
    final List<String> changes = new ArrayList<>();

    @Override
    public synchronized void userArrived(String userId) {
      changes.add("+" + userId);
    }

    @Override
    public synchronized void userLeft(String userId) {
      changes.add("-" + userId);
    }
  }

  @Test
  void aUserArrivesWithTheFirstSocketAndLeavesWithTheLast() {
    ConnectionRegistry registry = new ConnectionRegistry();
    Presence presence = new Presence();
    registry.presenceListener(presence);
    FakeSocket a = new FakeSocket("n.a", "u1");
    FakeSocket b = new FakeSocket("n.b", "u1");
    FakeSocket c = new FakeSocket("n.c", "u2");
    registry.add(a);
    registry.add(b);
    registry.add(c);
    List<Connection> before = registry.byUser("u1");
    assertEquals(List.of(a, b), before);
    assertEquals(2, registry.userCount());
    registry.remove(a);
    assertEquals(List.of(a, b), before, "byUser answers a snapshot");
    assertEquals(List.of(b), registry.byUser("u1"));
    registry.remove(a); // idempotent: no second departure
    registry.remove(b);
    assertEquals(List.of(), registry.byUser("u1"));
    assertEquals(List.of("+u1", "+u2", "-u1"), presence.changes);
    assertEquals(1, registry.userCount());
    assertThrows(UnsupportedOperationException.class, () -> registry.byUser("u2").add(a));
    assertThrows(IllegalStateException.class, () -> registry.add(new FakeSocket("n.c", "u3")), "duplicate id");
  }

  @Test
  void aStandInTakesTheSocketsPlaceWithoutAPresenceChange() {
    ConnectionRegistry registry = new ConnectionRegistry();
    Presence presence = new Presence();
    registry.presenceListener(presence);
    FakeSocket socket = new FakeSocket("n.a", "u1");
    FakeSocket other = new FakeSocket("n.b", "u1");
    FakeSocket standIn = FakeSocket.standIn("n.a", "u1");
    registry.add(socket);
    registry.add(other);
    registry.leaveFor(socket, standIn);
    assertEquals(List.of(other, standIn), registry.byUser("u1"));
    assertEquals(standIn, registry.get("n.a"));
    assertEquals(1, registry.sockets());
    assertEquals(1, registry.ending());
    registry.remove(other);
    registry.remove(standIn);
    assertEquals(List.of("+u1", "-u1"), presence.changes);
    assertEquals(0, registry.size());
  }

  @Test
  void socketsOfOneUserAddedAndRemovedOnManyThreadsAllCount() throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry();
    Presence presence = new Presence();
    registry.presenceListener(presence);
    int threads = 4;
    int each = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch done = new CountDownLatch(threads);
    List<List<FakeSocket>> mine = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<FakeSocket> sockets = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        sockets.add(new FakeSocket("n." + t + "-" + i, "u1"));
      }
      mine.add(sockets);
      pool.execute(() -> {
        for (FakeSocket s : sockets) {
          registry.add(s);
        }
        for (int i = 0; i < sockets.size(); i += 2) {
          registry.remove(sockets.get(i));
        }
        done.countDown();
      });
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    pool.shutdown();
    assertEquals(threads * each / 2, registry.byUser("u1").size(), "no add or remove lost to another thread's");
    for (List<FakeSocket> sockets : mine) {
      for (int i = 1; i < sockets.size(); i += 2) {
        registry.remove(sockets.get(i));
      }
    }
    assertEquals(List.of(), registry.byUser("u1"));
    assertEquals("+u1", presence.changes.get(0));
    assertEquals("-u1", presence.changes.get(presence.changes.size() - 1));
  }
}
