package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import io.vertx.core.Vertx;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.SessionOptions;
import io.wxgateway.common.options.SocketOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.gateway.connection.Connection;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The per-user cap counts sockets, not sessions waiting for their phone: with {@code maxPerUser: 1}
 * (one device per user) a phone back from the background must resume its session, whichever policy.
 * Before, the suspended session's stand-in counted as the user's one socket: {@code close-oldest}
 * replaced it (the session ended, the resume was refused) and {@code reject-new} refused the phone's
 * handshake with 429 for the whole resume window.
 */
class SessionUserCapTest {

  private final Vertx signer = Vertx.vertx();
  private GatewayTestSupport gw;

  private void start(String policy) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(2)
        .setSession(new SessionOptions().setReplayTimeoutMs(300))
        .setSocket(new SocketOptions().setMaxPerUser(1).setUserCapPolicy(policy))
        .setAuth(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET)));
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    signer.close().await();
  }

  private SessionClient connect(String user) {
    return SessionClient.connect(gw.vertx, gw.port, TestKeys.hs256(signer, user, 600));
  }

  @ParameterizedTest
  @ValueSource(strings = {SocketOptions.POLICY_CLOSE_OLDEST, SocketOptions.POLICY_REJECT_NEW})
  void aPhoneBackFromTheBackgroundResumesItsSessionUnderAOneSocketCap(String policy) {
    start(policy);
    SessionClient first = connect("una");
    SessionClient.Frame welcome = first.hello(null);
    String session = welcome.header().getString("session");
    first.close();
    KafkaTestBroker.awaitRecords(gw.inbound, r -> "wx.session.suspend".equals(header(r, "ce_type"))
        && session.equals(header(r, "ce_sessionid")), 1, Duration.ofSeconds(20));

    try (SessionClient back = connect("una")) {
      SessionClient.Frame resumed = back.hello(welcome.header().getString("token"));
      assertEquals(true, resumed.header().getBoolean("resumed"), resumed.header().encode());
      assertEquals(session, resumed.header().getString("session"));
    }
  }

  /** Other nodes' caps read it from the admin listing: a socket before its welcome is not counted by close-oldest. */
  @Test
  void theAdminListingMarksASessionSocketThatAwaitsItsWelcome() {
    start(SocketOptions.POLICY_CLOSE_OLDEST);
    try (SessionClient socket = connect("wes")) {
      Connection listed = Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> gw.node.registry().byUser("wes").stream().findFirst().orElse(null), c -> c != null);
      assertEquals(Connection.AWAITING_WELCOME, listed.describe().await().getString("state"));
      socket.hello(null);
      assertNull(listed.describe().await().getString("state"), "welcomed: a plain open socket");
    }
  }

  @Test
  void aResumeOverAHalfOpenSocketTakesItOverRatherThanReplacingIt() {
    start(SocketOptions.POLICY_CLOSE_OLDEST);
    SessionClient old = connect("vic");
    SessionClient.Frame welcome = old.hello(null);
    try (SessionClient fresh = connect("vic")) { // a network change: the old socket still looks open
      SessionClient.Frame resumed = fresh.hello(welcome.header().getString("token"));
      assertEquals(true, resumed.header().getBoolean("resumed"), resumed.header().encode());
      assertEquals(4409, old.socket.awaitClose().code(), "taken over by the resume, not replaced (4002)");
    }
  }
}
