package io.wxgateway.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.wxgateway.common.contract.CloseCodes;
import org.junit.jupiter.api.Test;

/** The close codes that end a session and the reasons a suspend event gives, as docs/sessions.md lists them. */
class SessionClosesTest {

  @Test
  void theGatewaysDeliberateClosesEndTheSessionEachWithItsOwnReason() {
    assertEquals("kicked", SessionCloses.endingReason(CloseCodes.KICKED));
    assertEquals("replaced", SessionCloses.endingReason(CloseCodes.REPLACED));
    assertEquals("token-expired", SessionCloses.endingReason(CloseCodes.TOKEN_EXPIRED));
    assertEquals("protocol-error", SessionCloses.endingReason(SessionFrames.PROTOCOL_ERROR),
        "a client that broke the protocol is not a backend's close");
    assertNull(SessionCloses.endingReason(CloseCodes.GOING_AWAY), "a drain suspends");
    assertNull(SessionCloses.endingReason(CloseCodes.ABNORMAL), "a lost connection suspends");
  }

  @Test
  void everyOtherLossSuspendsWithAReasonABackendCanActOn() {
    assertEquals("connection-lost", SessionCloses.suspendReason(CloseCodes.ABNORMAL, null, false));
    assertEquals("client-closed", SessionCloses.suspendReason(CloseCodes.NORMAL, null, false));
    assertEquals("idle", SessionCloses.suspendReason(CloseCodes.IDLE_TIMEOUT, "idle timeout", true));
    assertEquals("client-too-slow", SessionCloses.suspendReason(CloseCodes.POLICY_VIOLATION, "client too slow", true));
    assertEquals("lifetime", SessionCloses.suspendReason(CloseCodes.GOING_AWAY, "maximum lifetime reached, reconnect", true));
    assertEquals("drain", SessionCloses.suspendReason(CloseCodes.GOING_AWAY, "shutting down", true));
  }
}
