package io.wxgateway.examples.chat;

import java.nio.charset.StandardCharsets;

import io.wxgateway.examples.chat.Commands.Reply;
import io.wxgateway.examples.chat.Commands.Target;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Builds wx.outbound records (README.md, "wx.outbound"), keyed by their target so that records for one target keep their order. */
final class Outbound {

  /** Names the sender of a push, so that its dead letter (which keeps every header) can be reported back. */
  static final String REPORT_TO = "chat-report-to";
  static final String TEXT = "text/plain; charset=utf-8";

  private final String topic;

  String topic() {
    return topic;
  }

  Outbound(String topic) {
    this.topic = topic;
  }

  ProducerRecord<String, byte[]> of(Reply reply) {
    if (reply.closeCode() > 0) {
      RecordHeaders headers = headers(reply.to(), "wx.socket.close");
      headers.add("ce_closecode", utf8(Integer.toString(reply.closeCode())));
      headers.add("ce_closereason", utf8(reply.closeReason()));
      return record(reply.to(), headers, new byte[0]);
    }
    boolean everyone = reply.to().connectionId() == null && reply.to().userId() == null;
    RecordHeaders headers = headers(reply.to(), everyone ? "wx.socket.broadcast" : "wx.socket.send");
    headers.add("content-type", utf8(TEXT));
    if (reply.reportTo() != null) {
      headers.add(REPORT_TO, utf8(reply.reportTo()));
    }
    return record(reply.to(), headers, utf8(reply.text()));
  }

  /** A text for one connection. */
  ProducerRecord<String, byte[]> text(String connectionId, String text) {
    return of(Reply.text(Target.connection(connectionId), text));
  }

  /** Bytes for one connection, with the content type they came with. */
  ProducerRecord<String, byte[]> bytes(String connectionId, String contentType, byte[] value) {
    Target to = Target.connection(connectionId);
    RecordHeaders headers = headers(to, "wx.socket.send");
    headers.add("content-type", utf8(contentType));
    return record(to, headers, value);
  }

  private static RecordHeaders headers(Target to, String type) {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_type", utf8(type));
    if (to.connectionId() != null) {
      headers.add("ce_connectionid", utf8(to.connectionId()));
    } else if (to.userId() != null) {
      headers.add("ce_userid", utf8(to.userId()));
    }
    return headers;
  }

  private ProducerRecord<String, byte[]> record(Target to, RecordHeaders headers, byte[] value) {
    String key = to.connectionId() != null ? to.connectionId() : to.userId();
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
