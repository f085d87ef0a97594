package io.wxgateway.common.codec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.ContentTypes;
import io.wxgateway.common.contract.EventTypes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the records of {@code wx.inbound} exactly as the contract (v1) says: key = connection id,
 * value = the raw bytes, metadata in {@code ce_*} headers. Stateless and thread-safe.
 */
public final class InboundRecords {

  private static final byte[] SPEC_VERSION = bytes(CeHeaders.SPEC_VERSION_1_0);
  private static final byte[] TYPE_MESSAGE = bytes(EventTypes.MESSAGE);
  private static final byte[] TYPE_OPEN = bytes(EventTypes.OPEN);
  private static final byte[] TYPE_CLOSE = bytes(EventTypes.CLOSE);
  private static final byte[] TEXT = bytes(ContentTypes.TEXT_UTF8);
  private static final byte[] BINARY = bytes(ContentTypes.OCTET_STREAM);
  private static final byte[] JSON = bytes(ContentTypes.JSON);

  private final String topic;

  public InboundRecords(String topic) {
    this.topic = topic;
  }

  /** A client message; {@code text} says whether it arrived as a text message (then {@code value} is UTF-8). */
  public ProducerRecord<String, byte[]> message(InboundEvent event, long seq, boolean text, byte[] value) {
    return record(event, seq, TYPE_MESSAGE, text ? TEXT : BINARY, value);
  }

  /** The first record of a connection; {@code json} describes the handshake. */
  public ProducerRecord<String, byte[]> open(InboundEvent event, long seq, byte[] json) {
    return record(event, seq, TYPE_OPEN, JSON, json);
  }

  /** The last record of a connection; {@code json} describes how it ended. */
  public ProducerRecord<String, byte[]> close(InboundEvent event, long seq, byte[] json) {
    return record(event, seq, TYPE_CLOSE, JSON, json);
  }

  private ProducerRecord<String, byte[]> record(
      InboundEvent event, long seq, byte[] type, byte[] contentType, byte[] value) {
    Headers headers = new RecordHeaders();
    headers.add(CeHeaders.SPECVERSION, SPEC_VERSION);
    headers.add(CeHeaders.ID, bytes(event.connectionId() + '-' + seq));
    headers.add(CeHeaders.SOURCE, bytes("/wx-gateway/" + event.nodeId()));
    headers.add(CeHeaders.TIME, bytes(Instant.now().toString()));
    headers.add(CeHeaders.TYPE, type);
    headers.add(CeHeaders.CONNECTION_ID, bytes(event.connectionId()));
    if (event.userId() != null) {
      headers.add(CeHeaders.USER_ID, bytes(event.userId()));
    }
    if (event.appId() != null) {
      headers.add(CeHeaders.APP_ID, bytes(event.appId()));
    }
    if (event.subprotocol() != null) {
      headers.add(CeHeaders.SUBPROTOCOL, bytes(event.subprotocol()));
    }
    headers.add(CeHeaders.SEQ, bytes(Long.toString(seq)));
    headers.add(CeHeaders.CONTENT_TYPE, contentType);
    return new ProducerRecord<>(topic, null, event.connectionId(), value, headers);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
