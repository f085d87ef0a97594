package io.wxgateway.common.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  @Test
  void headersComeInTheContractsOrderWithTheSubprotocolBeforeTheSeq() {
    InboundEvent withProtocol = new InboundEvent(event.connectionId(), "gw-1", "u-7", "wx123", "chat.v2");
    List<String> keys = new ArrayList<>();
    records.message(withProtocol, 1, true, new byte[0]).headers().forEach(h -> keys.add(h.key()));
    assertEquals(List.of("ce_specversion", "ce_id", "ce_source", "ce_time", "ce_type", "ce_connectionid",
        "ce_userid", "ce_appid", "ce_subprotocol", "ce_seq", "content-type"), keys);
  }

  @Test
  void seqAndIdAreDecimalAtEveryWidth() {
    for (long seq : new long[] {0, 9, 10, 1_234_567, Long.MAX_VALUE}) {
      ProducerRecord<String, byte[]> r = records.message(event, seq, true, new byte[0]);
      assertEquals(Long.toString(seq), header(r, CeHeaders.SEQ));
      assertEquals(event.connectionId() + "-" + seq, header(r, CeHeaders.ID));
    }
  }

  @Test
  void aNonAsciiConnectionIdIsEncodedOnceAsUtf8InBothHeaders() {
    InboundEvent odd = new InboundEvent("gw-1.连接", "gw-1", null, null);
    ProducerRecord<String, byte[]> r = records.message(odd, 12, true, new byte[0]);
    assertEquals("gw-1.连接", header(r, CeHeaders.CONNECTION_ID));
    assertEquals("gw-1.连接-12", header(r, CeHeaders.ID));
  }

  @Test
  void eachNodeIdNamesItsOwnSourceThroughOneInstance() {
    InboundEvent other = new InboundEvent("gw-2.x", "gw-2", null, null);
    assertEquals("/wx-gateway/gw-1", header(records.message(event, 1, true, new byte[0]), CeHeaders.SOURCE));
    assertEquals("/wx-gateway/gw-2", header(records.message(other, 1, true, new byte[0]), CeHeaders.SOURCE));
    assertEquals("/wx-gateway/gw-1", header(records.message(event, 2, true, new byte[0]), CeHeaders.SOURCE));
  }

  @Test
  void ceTimeIsTheClocksInstantInMicroseconds() {
    Instant at = Instant.parse("2026-12-05T15:04:05.000007891Z");
    InboundRecords fixed = new InboundRecords("wx.inbound", new CeTime(() -> at));
    assertEquals("2026-12-05T15:04:05.000007Z", header(fixed.message(event, 1, true, new byte[0]), CeHeaders.TIME));
  }

  private static String header(ProducerRecord<String, byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
