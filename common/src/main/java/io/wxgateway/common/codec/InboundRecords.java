package io.wxgateway.common.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.ContentTypes;
import io.wxgateway.common.contract.EventTypes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Builds the records of {@code wx.inbound} exactly as the contract (v1) says: key = connection id,
 * value = the raw bytes, metadata in {@code ce_*} headers, always in the same order. Thread-safe.
 *
 * <p>This runs on an event loop once per relayed message, so it allocates as little as it can: the
 * headers every record shares are single immutable {@link RecordHeader}s, the connection id is
 * encoded once for {@code ce_connectionid} and {@code ce_id}, numbers and {@code ce_time} are
 * written as bytes without a String between, and the headers go to the record as one exact-size
 * array (a {@code RecordHeaders} would grow its list past ten). Nothing is cached per connection,
 * so an idle socket costs no extra heap.
 */
public final class InboundRecords {

  private static final Header SPEC_VERSION = header(CeHeaders.SPECVERSION, CeHeaders.SPEC_VERSION_1_0);
  private static final Header TYPE_MESSAGE = header(CeHeaders.TYPE, EventTypes.MESSAGE);
  private static final Header TYPE_OPEN = header(CeHeaders.TYPE, EventTypes.OPEN);
  private static final Header TYPE_CLOSE = header(CeHeaders.TYPE, EventTypes.CLOSE);
  private static final Header TEXT = header(CeHeaders.CONTENT_TYPE, ContentTypes.TEXT_UTF8);
  private static final Header BINARY = header(CeHeaders.CONTENT_TYPE, ContentTypes.OCTET_STREAM);
  private static final Header JSON = header(CeHeaders.CONTENT_TYPE, ContentTypes.JSON);
  private static final int FIXED_HEADERS = 8;

  private record Source(String nodeId, Header header) { }

  private final String topic;
  private final CeTime time;
  private volatile Source source = new Source(null, null);

  public InboundRecords(String topic) {
    this(topic, CeTime.system());
  }

  InboundRecords(String topic, CeTime time) {
    this.topic = topic;
    this.time = time;
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
      InboundEvent event, long seq, Header type, Header contentType, byte[] value) {
    Header[] headers = new Header[FIXED_HEADERS + optionalHeaders(event)];
    byte[] connectionId = bytes(event.connectionId());
    int i = 0;
    headers[i++] = SPEC_VERSION;
    headers[i++] = new RecordHeader(CeHeaders.ID, id(connectionId, seq));
    headers[i++] = source(event.nodeId());
    headers[i++] = new RecordHeader(CeHeaders.TIME, time.now());
    headers[i++] = type;
    headers[i++] = new RecordHeader(CeHeaders.CONNECTION_ID, connectionId);
    if (event.userId() != null) {
      headers[i++] = new RecordHeader(CeHeaders.USER_ID, bytes(event.userId()));
    }
    if (event.appId() != null) {
      headers[i++] = new RecordHeader(CeHeaders.APP_ID, bytes(event.appId()));
    }
    if (event.subprotocol() != null) {
      headers[i++] = new RecordHeader(CeHeaders.SUBPROTOCOL, bytes(event.subprotocol()));
    }
    headers[i++] = new RecordHeader(CeHeaders.SEQ, Ascii.of(seq));
    headers[i] = contentType;
    return new ProducerRecord<>(topic, null, event.connectionId(), value, Arrays.asList(headers));
  }

  private static int optionalHeaders(InboundEvent event) {
    return (event.userId() != null ? 1 : 0) + (event.appId() != null ? 1 : 0)
        + (event.subprotocol() != null ? 1 : 0);
  }

  /** {@code <connection id>-<seq>}, unique per record. */
  private static byte[] id(byte[] connectionId, long seq) {
    int digits = Ascii.digits(seq);
    byte[] id = Arrays.copyOf(connectionId, connectionId.length + 1 + digits);
    id[connectionId.length] = '-';
    Ascii.putDigits(id, connectionId.length + 1, digits, seq);
    return id;
  }

  /** One node writes through one instance, so the header is built once; another node id rebuilds it. */
  private Header source(String nodeId) {
    Source cached = source;
    if (!nodeId.equals(cached.nodeId())) {
      cached = new Source(nodeId, header(CeHeaders.SOURCE, "/wx-gateway/" + nodeId));
      source = cached;
    }
    return cached.header();
  }

  private static Header header(String key, String value) {
    return new RecordHeader(key, bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
