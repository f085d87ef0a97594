package io.wxgateway.gateway.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.gateway.session.PushLedger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Session events and receipts carry {@code ce_time} in the one shape every gateway record has. */
class SessionEventsTest {

  private static final String SIX_DIGITS_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z";

  private final SessionEvents events = new SessionEvents("wx.inbound", "wx.receipts", "node-1");

  @Test
  void lifecycleEventsAndReceiptsHaveCeTimeWithSixFractionDigitsOfNow() {
    JsonObject value = new JsonObject().put("sessionId", "s1").put("connectionId", "c1").put("userId", "ann")
        .put("appId", "app");
    Instant before = Instant.now();
    for (ProducerRecord<String, byte[]> r : new ProducerRecord[] {
        events.lifecycle(EventTypes.SESSION_SUSPEND, value),
        events.receipt("s1", "c1", "ann", new PushLedger.Acked(3, 42, "p1"))}) {
      int count = 0;
      for (var h : r.headers().headers("ce_time")) {
        count++;
      }
      assertEquals(1, count, r.topic() + ": one ce_time");
      String time = new String(r.headers().lastHeader("ce_time").value(), StandardCharsets.UTF_8);
      assertTrue(time.matches(SIX_DIGITS_UTC), r.topic() + ": " + time);
      Instant at = Instant.parse(time);
      assertTrue(!at.isBefore(before.minusMillis(1)) && Duration.between(at, Instant.now()).toSeconds() < 5,
          r.topic() + ": " + time + " is not now");
    }
  }
}
