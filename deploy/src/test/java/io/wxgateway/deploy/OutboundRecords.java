package io.wxgateway.deploy;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Records a backend writes for the bridge: a key, a value and the CloudEvents headers. */
final class OutboundRecords {

  private OutboundRecords() {
  }

  /** {@code headers} are name, value pairs; a null value is a record without payload (a close, say). */
  static ProducerRecord<String, byte[]> record(String topic, String key, byte[] value, String... headers) {
    RecordHeaders h = new RecordHeaders();
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(topic, null, key, value, h);
  }

  /** The text as UTF-8; null stays null. */
  static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
