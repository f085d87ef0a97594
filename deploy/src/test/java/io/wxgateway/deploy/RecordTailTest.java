package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.wxgateway.deploy.RecordTail.Kind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The demo page's bounded record store: which connection a record counts for, and the bounds. */
class RecordTailTest {

  private long offset;

  @Test
  void outboundRecordsCountForTheirConnectionTheirUsersSocketsOrEveryOpenOne() {
    RecordTail tail = new RecordTail(10, 10);
    tail.add(Kind.INBOUND, record("c1", "wx.socket.open", "u1", "{}"));
    tail.add(Kind.INBOUND, record("c2", "wx.socket.open", "u1", "{}"));
    tail.add(Kind.INBOUND, record("c3", "wx.socket.open", null, "{}"));
    tail.add(Kind.OUTBOUND, outbound("ce_connectionid", "c3", "wx.socket.send"));
    tail.add(Kind.OUTBOUND, outbound("ce_userid", "u1", "wx.socket.send"));
    tail.add(Kind.INBOUND, record("c3", "wx.socket.close", null, "{}"));
    tail.add(Kind.OUTBOUND, outbound("ce_appid", "any", "wx.socket.broadcast"));
    tail.add(Kind.DEAD_LETTER, outbound("ce_connectionid", "c9", "wx.socket.send"));
    tail.add(Kind.DEAD_LETTER, outbound("ce_connectionid", "c1", "wx.socket.send"));
    assertEquals(4, tail.records("c1").size(), "open, the user push, the broadcast, the dead letter");
    assertEquals(3, tail.records("c2").size());
    assertEquals(3, tail.records("c3").size(), "open, its send, its close; not the broadcast after it closed");
    assertTrue(tail.records("c9").isEmpty(), "records for a connection never seen are not kept");
    assertEquals("outbound", tail.records("c1").getJsonObject(1).getString("topic"));
    assertEquals("dead-letter", tail.records("c1").getJsonObject(3).getString("topic"));
  }

  @Test
  void aMarkerInAMessageNamesItsConnectionAndBoundsHold() {
    RecordTail tail = new RecordTail(2, 3);
    tail.add(Kind.INBOUND, record("c1", "wx.socket.open", null, "{}"));
    tail.add(Kind.INBOUND, record("c1", "wx.socket.message", null, "hi [demo abcdefghijklmnop] there"));
    assertEquals("c1", tail.connectionOf("abcdefghijklmnop"));
    assertNull(tail.connectionOf("short"));
    for (int i = 0; i < 5; i++) {
      tail.add(Kind.INBOUND, record("c1", "wx.socket.message", null, "m" + i));
    }
    assertEquals(3, tail.records("c1").size(), "records per connection are bounded");
    assertEquals("m4", tail.records("c1").getJsonObject(2).getString("value"));
    tail.add(Kind.INBOUND, record("c2", "wx.socket.open", null, "{}"));
    tail.add(Kind.INBOUND, record("c3", "wx.socket.open", null, "{}"));
    assertTrue(tail.records("c1").isEmpty(), "the least recently used connection is dropped");
  }

  private ConsumerRecord<String, byte[]> record(String connectionId, String type, String userId, String value) {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("in", 0, offset++, connectionId,
        value.getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_connectionid", connectionId.getBytes(StandardCharsets.UTF_8));
    record.headers().add("content-type", (type.equals("wx.socket.message") ? "text/plain; charset=utf-8"
        : "application/json").getBytes(StandardCharsets.UTF_8));
    if (userId != null) {
      record.headers().add("ce_userid", userId.getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  private ConsumerRecord<String, byte[]> outbound(String targetHeader, String target, String type) {
    ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("out", 0, offset++, target, "x".getBytes(StandardCharsets.UTF_8));
    record.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
    record.headers().add(targetHeader, target.getBytes(StandardCharsets.UTF_8));
    return record;
  }
}
