package io.wxgateway.common.testing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reading headers and values of records in assertions. */
public final class Records {

  private Records() {
  }

  /** The last header of that name as UTF-8, or null. */
  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  public static String text(ConsumerRecord<?, byte[]> record) {
    return new String(record.value(), StandardCharsets.UTF_8);
  }
}
