package io.wxgateway.common.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.Delivery.Action;
import io.wxgateway.common.bus.Delivery.TargetKind;
import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.CloseCodes;
import io.wxgateway.common.contract.ContentTypes;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.contract.Utf8;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a {@code wx.outbound} record into a {@link Delivery}, or says precisely why it cannot.
 * Stateless and thread-safe.
 *
 * <p>Rules (contract v1): {@code ce_type} defaults to {@code wx.socket.send}; a send or close needs
 * {@code ce_connectionid} or {@code ce_userid} (the connection wins when both are present, so a
 * backend may copy every header of an inbound record); text content types need a UTF-8 value; close
 * codes are 1000 or 3000-4999 (1000 when the header is missing) with a reason of at most 123 bytes.
 */
public final class OutboundRecordDecoder {

  private static final byte[] SEND = EventTypes.SEND.getBytes(StandardCharsets.UTF_8);

  public Delivery decode(ConsumerRecord<String, byte[]> record) throws InvalidRecordException {
    Headers headers = record.headers();
    Header typeHeader = headers.lastHeader(CeHeaders.TYPE);
    // The usual type is recognised by its bytes: no String for it on every record.
    boolean isSend = typeHeader == null || typeHeader.value() == null || Arrays.equals(typeHeader.value(), SEND);
    String type = isSend ? null : text(typeHeader, CeHeaders.TYPE);
    String recordId = header(headers, CeHeaders.ID);
    if (isSend || type.equals(EventTypes.SEND)) {
      return send(record, target(headers), recordId);
    }
    if (type.equals(EventTypes.CLOSE)) {
      return close(headers, target(headers), recordId, record.timestamp(), record.partition(), record.offset());
    }
    if (type.equals(EventTypes.BROADCAST)) {
      Target all = new Target(TargetKind.ALL, header(headers, CeHeaders.APP_ID));
      return send(record, all, recordId);
    }
    throw new InvalidRecordException("unknown ce_type '" + type + "': expected " + EventTypes.SEND + ", "
        + EventTypes.CLOSE + " or " + EventTypes.BROADCAST);
  }

  private static Delivery send(ConsumerRecord<String, byte[]> record, Target target, String recordId)
      throws InvalidRecordException {
    byte[] value = record.value();
    if (value == null) {
      throw new InvalidRecordException("the record has no value (a tombstone): nothing to send");
    }
    String contentType = header(record.headers(), CeHeaders.CONTENT_TYPE);
    boolean text = ContentTypes.isText(contentType);
    if (text && !Utf8.isValid(value)) {
      throw new InvalidRecordException("the value is not valid UTF-8, but content-type '"
          + (contentType == null ? "(missing, so text)" : contentType) + "' makes it a text message");
    }
    return new Delivery(text ? Action.SEND_TEXT : Action.SEND_BINARY, target.kind, target.value,
        Buffer.buffer(value), 0, null, recordId, record.timestamp(), record.partition(), record.offset());
  }

  private static Delivery close(Headers headers, Target target, String recordId, long timestamp, int partition,
      long offset)
      throws InvalidRecordException {
    String codeText = header(headers, CeHeaders.CLOSE_CODE);
    int code = CloseCodes.NORMAL;
    if (codeText != null) {
      try {
        code = Integer.parseInt(codeText.trim());
      } catch (NumberFormatException e) {
        throw new InvalidRecordException("ce_closecode '" + codeText + "' is not a number");
      }
    }
    if (!CloseCodes.isAllowedForBackends(code)) {
      throw new InvalidRecordException("ce_closecode " + code + " is not allowed: use 1000 or 3000-4999");
    }
    String reason = header(headers, CeHeaders.CLOSE_REASON);
    if (!CloseCodes.isReasonAllowed(reason)) {
      throw new InvalidRecordException("ce_closereason is " + reason.getBytes(StandardCharsets.UTF_8).length
          + " UTF-8 bytes; at most " + CloseCodes.MAX_REASON_BYTES + " fit in a close frame");
    }
    return new Delivery(Action.CLOSE, target.kind, target.value, Buffer.buffer(), code, reason, recordId, timestamp,
        partition, offset);
  }

  private static Target target(Headers headers) throws InvalidRecordException {
    String connectionId = header(headers, CeHeaders.CONNECTION_ID);
    if (connectionId != null) {
      try {
        return new Target(TargetKind.CONNECTION, ConnectionId.requireValid(connectionId));
      } catch (IllegalArgumentException e) {
        throw new InvalidRecordException("ce_connectionid: " + e.getMessage());
      }
    }
    String userId = header(headers, CeHeaders.USER_ID);
    if (userId != null && !userId.isEmpty()) {
      return new Target(TargetKind.USER, userId);
    }
    throw new InvalidRecordException("no target: set ce_connectionid or ce_userid (or use ce_type "
        + EventTypes.BROADCAST + ")");
  }

  /** The last header of that name as UTF-8 text, or null. */
  private static String header(Headers headers, String name) throws InvalidRecordException {
    return text(headers.lastHeader(name), name);
  }

  private static String text(Header header, String name) throws InvalidRecordException {
    if (header == null || header.value() == null) {
      return null;
    }
    if (!Utf8.isValid(header.value())) {
      throw new InvalidRecordException("header " + name + " is not valid UTF-8");
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private record Target(TargetKind kind, String value) {
  }
}
