package io.wxgateway.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.gateway.connection.Connection;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * close-oldest with one socket per user, on one node (a real Vert.x and registry, sockets faked):
 * which sockets an enforcement closes. The real-socket paths are in SessionUserCapTest.
 */
class UserCapTest {

  /** A socket of {@code userId} that records the codes it is closed with. */
  private record Socket(String connectionId, String userId, long openedAt, boolean awaitsWelcome,
      List<Short> closes) implements Connection {
    Socket(String connectionId, long openedAt, boolean awaitsWelcome) {
      this(connectionId, "vic", openedAt, awaitsWelcome, new CopyOnWriteArrayList<>());
    }

    @Override
    public String appId() {
      return null;
    }

    @Override
    public Context context() {
      return null;
    }

    @Override
    public DeliveryResult write(Delivery delivery) {
      return DeliveryResult.delivered(1);
    }

    @Override
    public void tick(long nowMillis) {
    }

    @Override
    public void close(short code, String reason) {
      closes.add(code);
    }

    @Override
    public Future<JsonObject> describe() {
      return Future.succeededFuture(new JsonObject());
    }
  }

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
    Socket old = new Socket("gw-1.old", 1_000, false);
    Socket fresh = new Socket("gw-1.fresh", 2_000, true);
    registry.add(old);
    registry.add(fresh);

    cap.enforce(old).await();

    assertEquals(List.of(), old.closes());
    assertEquals(List.of(), fresh.closes());
  }

  @Test
  void onceWelcomedTheNewerSocketReplacesTheOlder() {
    Socket old = new Socket("gw-1.old", 1_000, false);
    Socket fresh = new Socket("gw-1.fresh", 2_000, false);
    registry.add(old);
    registry.add(fresh);

    cap.enforce(fresh).await();

    assertEquals(List.of(CloseCodes.REPLACED), old.closes());
    assertEquals(List.of(), fresh.closes());
  }

  @Test
  void anOlderSocketStillWaitingForItsWelcomeIsNotCountedEither() {
    Socket waiting = new Socket("gw-1.waiting", 1_000, true);
    Socket opened = new Socket("gw-1.opened", 2_000, false);
    registry.add(waiting);
    registry.add(opened);

    cap.enforce(opened).await();

    assertEquals(List.of(), waiting.closes(), "it enforces the cap itself once welcomed");
  }
}
