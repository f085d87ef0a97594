package io.wxgateway.common.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.Action;
import io.wxgateway.common.bus.Delivery.TargetKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundRecordDecoderTest {

  private final OutboundRecordDecoder decoder = new OutboundRecordDecoder();
  private final String conn = ConnectionId.generate("gw-1").value();

  @Test
  void missingTypeAndContentTypeMeanTextSend() throws Exception {
    Delivery d = decoder.decode(record("hi".getBytes(), "ce_connectionid", conn));
    assertEquals(Action.SEND_TEXT, d.action());
    assertEquals(TargetKind.CONNECTION, d.targetKind());
    assertEquals(conn, d.target());
    assertEquals("hi", d.payload().toString());
    assertEquals(42L, d.createdAt());
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "text/html; charset=utf-8", "application/json", "Application/JSON"})
  void textAndJsonContentTypesAreText(String contentType) throws Exception {
    assertEquals(Action.SEND_TEXT, decoder.decode(
        record("{}".getBytes(), "ce_connectionid", conn, "content-type", contentType)).action());
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/octet-stream", "image/png", "application/protobuf"})
  void otherContentTypesAreBinary(String contentType) throws Exception {
    byte[] invalidUtf8 = {(byte) 0xff, (byte) 0xfe};
    Delivery d = decoder.decode(record(invalidUtf8, "ce_connectionid", conn, "content-type", contentType));
    assertEquals(Action.SEND_BINARY, d.action());
    assertEquals(2, d.size());
  }

  @Test
  void theLastHeaderOfANameWinsAndAnEarlierBadOneDoesNotCount() throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_userid", new byte[] {(byte) 0xff});
    headers.add("ce_type", "wx.socket.close".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_userid", "alice".getBytes(StandardCharsets.UTF_8));
    headers.add("ce_type", "wx.socket.send".getBytes(StandardCharsets.UTF_8));
    headers.add("x-unrelated", new byte[] {(byte) 0xfe});
    Delivery d = decoder.decode(new ConsumerRecord<>("wx.outbound", 0, 0, 42L, TimestampType.CREATE_TIME, 0, 0, null,
        "hi".getBytes(StandardCharsets.UTF_8), headers, Optional.empty()));
    assertEquals(Action.SEND_TEXT, d.action());
    assertEquals(TargetKind.USER, d.targetKind());
    assertEquals("alice", d.target());
  }

  @Test
  void textValueThatIsNotUtf8IsInvalid() {
    byte[] invalid = {'o', 'k', (byte) 0xc3};
    assertInvalid(record(invalid, "ce_connectionid", conn), "not valid UTF-8");
  }

  @Test
  void connectionWinsOverUserSoInboundHeadersCanBeCopied() throws Exception {
    Delivery d = decoder.decode(record("x".getBytes(), "ce_userid", "u1", "ce_connectionid", conn));
    assertEquals(TargetKind.CONNECTION, d.targetKind());
  }

  @Test
  void userTarget() throws Exception {
    Delivery d = decoder.decode(record("x".getBytes(), "ce_type", "wx.socket.send", "ce_userid", "u1"));
    assertEquals(TargetKind.USER, d.targetKind());
    assertEquals("u1", d.target());
  }

  @Test
  void broadcastNeedsNoTargetAndMayFilterByAppId() throws Exception {
    Delivery all = decoder.decode(record("x".getBytes(), "ce_type", "wx.socket.broadcast"));
    assertEquals(TargetKind.ALL, all.targetKind());
    assertNull(all.target());
    Delivery app = decoder.decode(record("x".getBytes(), "ce_type", "wx.socket.broadcast", "ce_appid", "wx1"));
    assertEquals("wx1", app.target());
  }

  @Test
  void closeWithCodeAndMultiByteReason() throws Exception {
    Delivery d = decoder.decode(record(null, "ce_type", "wx.socket.close", "ce_connectionid", conn,
        "ce_closecode", "4000", "ce_closereason", "再见"));
    assertEquals(Action.CLOSE, d.action());
    assertEquals(4000, d.closeCode());
    assertEquals("再见", d.closeReason());
  }

  @Test
  void closeWithoutCodeIsNormal() throws Exception {
    assertEquals(1000, decoder.decode(record(null, "ce_type", "wx.socket.close", "ce_connectionid", conn)).closeCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"999", "1001", "1008", "2999", "5000", "-1", "abc"})
  void forbiddenCloseCodesAreInvalid(String code) {
    assertInvalid(record(null, "ce_type", "wx.socket.close", "ce_connectionid", conn, "ce_closecode", code),
        "ce_closecode");
  }

  @Test
  void reasonOver123BytesIsInvalidAnd123Fit() throws Exception {
    String fits = "é".repeat(61) + "a"; // 123 bytes
    decoder.decode(record(null, "ce_type", "wx.socket.close", "ce_connectionid", conn, "ce_closereason", fits));
    assertInvalid(record(null, "ce_type", "wx.socket.close", "ce_connectionid", conn, "ce_closereason", fits + "a"),
        "124 UTF-8 bytes");
  }

  @Test
  void unknownTypeMissingTargetBadIdAndTombstoneAreInvalid() {
    assertInvalid(record("x".getBytes(), "ce_type", "wx.socket.dance", "ce_connectionid", conn), "unknown ce_type");
    assertInvalid(record("x".getBytes()), "no target");
    assertInvalid(record("x".getBytes(), "ce_connectionid", "nope"), "not a connection id");
    assertInvalid(record(null, "ce_connectionid", conn), "no value");
  }

  private void assertInvalid(ConsumerRecord<String, byte[]> record, String detailPart) {
    InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> decoder.decode(record));
    assertTrue(e.getMessage().contains(detailPart), e.getMessage());
  }

  private static ConsumerRecord<String, byte[]> record(byte[] value, String... headerPairs) {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.add(headerPairs[i], headerPairs[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ConsumerRecord<>("wx.outbound", 0, 0L, 42L, TimestampType.CREATE_TIME, -1, -1, "k", value,
        headers, Optional.empty());
  }
}
