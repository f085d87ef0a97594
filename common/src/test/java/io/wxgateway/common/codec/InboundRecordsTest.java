package io.wxgateway.common.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.wxgateway.common.contract.CeHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class InboundRecordsTest {

  private final InboundRecords records = new InboundRecords("wx.inbound");
  private final InboundEvent event = new InboundEvent("gw-1.q8F1cJ0pQ2Wk3y9mR4tZ7A", "gw-1", "u-7", "wx123");

  @Test
  void textMessageCarriesEveryContractHeader() {
    byte[] value = "你好".getBytes(StandardCharsets.UTF_8);
    ProducerRecord<String, byte[]> r = records.message(event, 3, true, value);
    assertEquals("wx.inbound", r.topic());
    assertEquals(event.connectionId(), r.key());
    assertArrayEquals(value, r.value());
    assertEquals("1.0", header(r, CeHeaders.SPECVERSION));
    assertEquals(event.connectionId() + "-3", header(r, CeHeaders.ID));
    assertEquals("/wx-gateway/gw-1", header(r, CeHeaders.SOURCE));
    assertEquals("wx.socket.message", header(r, CeHeaders.TYPE));
    assertEquals(event.connectionId(), header(r, CeHeaders.CONNECTION_ID));
    assertEquals("u-7", header(r, CeHeaders.USER_ID));
    assertEquals("wx123", header(r, CeHeaders.APP_ID));
    assertEquals("3", header(r, CeHeaders.SEQ));
    assertEquals("text/plain; charset=utf-8", header(r, CeHeaders.CONTENT_TYPE));
    Instant.parse(header(r, CeHeaders.TIME)); // RFC 3339, or this throws
  }

  @Test
  void binaryMessageIsOctetStreamAndAnonymousSocketsHaveNoUserOrApp() {
    InboundEvent anonymous = new InboundEvent(event.connectionId(), "gw-1", null, null);
    ProducerRecord<String, byte[]> r = records.message(anonymous, 1, false, new byte[] {0, 1, 2});
    assertEquals("application/octet-stream", header(r, CeHeaders.CONTENT_TYPE));
    assertNull(r.headers().lastHeader(CeHeaders.USER_ID));
    assertNull(r.headers().lastHeader(CeHeaders.APP_ID));
  }

  @Test
  void openAndCloseAreJsonEvents() {
    assertEquals("wx.socket.open", header(records.open(event, 1, "{}".getBytes()), CeHeaders.TYPE));
    ProducerRecord<String, byte[]> close = records.close(event, 9, "{}".getBytes());
    assertEquals("wx.socket.close", header(close, CeHeaders.TYPE));
    assertEquals("application/json", header(close, CeHeaders.CONTENT_TYPE));
    assertEquals("9", header(close, CeHeaders.SEQ));
  }

  private static String header(ProducerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
