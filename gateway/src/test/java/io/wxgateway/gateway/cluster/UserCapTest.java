package io.wxgateway.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.vertx.core.Vertx;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.connection.FakeSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * close-oldest with one socket per user, on one node (a real Vert.x and registry, {@link FakeSocket}s):
 * which sockets an enforcement closes. The real-socket paths are in SessionUserCapTest.
 */
class UserCapTest {

  private final Vertx vertx = Vertx.vertx();
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final UserCap cap = new UserCap(vertx, "gw-1", registry,
      new SocketOptions().setMaxPerUser(1).setUserCapPolicy(SocketOptions.POLICY_CLOSE_OLDEST));

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /**
   * The phone's old socket is welcomed and, while its check is on its way, the phone is back on a new
   * socket that has not said hello yet: its hello may resume the old socket's session (a takeover,
   * 4409). The old socket's check must not replace the old socket with 4002 on the new one's account.
   */
  @Test
  void aSocketStillWaitingForItsWelcomeDoesNotReplaceAnOlderOne() {
    FakeSocket old = FakeSocket.opened("gw-1.old", "vic", 1_000, false);
    FakeSocket fresh = FakeSocket.opened("gw-1.fresh", "vic", 2_000, true);
    registry.add(old);
    registry.add(fresh);

    cap.enforce(old).await();

    assertEquals(List.of(), old.closes());
    assertEquals(List.of(), fresh.closes());
  }

  @Test
  void onceWelcomedTheNewerSocketReplacesTheOlder() {
    FakeSocket old = FakeSocket.opened("gw-1.old", "vic", 1_000, false);
    FakeSocket fresh = FakeSocket.opened("gw-1.fresh", "vic", 2_000, false);
    registry.add(old);
    registry.add(fresh);

    cap.enforce(fresh).await();

    assertEquals(List.of(CloseCodes.REPLACED), old.closes());
    assertEquals(List.of(), fresh.closes());
  }

  @Test
  void anOlderSocketStillWaitingForItsWelcomeIsNotCountedEither() {
    FakeSocket waiting = FakeSocket.opened("gw-1.waiting", "vic", 1_000, true);
    FakeSocket opened = FakeSocket.opened("gw-1.opened", "vic", 2_000, false);
    registry.add(waiting);
    registry.add(opened);

    cap.enforce(opened).await();

    assertEquals(List.of(), waiting.closes(), "it enforces the cap itself once welcomed");
  }
}
