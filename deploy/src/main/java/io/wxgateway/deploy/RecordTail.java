package io.wxgateway.deploy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.contract.Utf8;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * For the demo page: the last records of each recent connection, from the inbound, outbound and
 * dead-letter topics, in memory and bounded (connections, records per connection, value preview).
 * An outbound record counts for its connection, for every known socket of its user, or (broadcast)
 * for every connection still open. A page finds its own connection by a marker it sends in its
 * first message ({@link #MARKER}). Filled by the consumer's context, read by the management port's:
 * every method is short and synchronized.
 */
final class RecordTail {

  /** {@code [demo <16-64 of A-Z a-z 0-9 _ ->]} in an inbound text message names that page's connection. */
  static final Pattern MARKER = Pattern.compile("\\[demo ([A-Za-z0-9_-]{16,64})]");
  static final int DEFAULT_MAX_CONNECTIONS = 256;
  static final int DEFAULT_RECORDS_PER_CONNECTION = 50;
  static final int DEFAULT_PREVIEW_BYTES = 512;

  /** Topic names as the page shows them. */
  enum Kind { INBOUND, OUTBOUND, DEAD_LETTER }

  private final int recordsPerConnection;
  private final Map<String, Tail> tails;
  private final Map<String, String> connectionByMarker;

  RecordTail(int maxConnections, int recordsPerConnection) {
    this.recordsPerConnection = recordsPerConnection;
    this.tails = lru(maxConnections);
    this.connectionByMarker = lru(maxConnections);
  }

  private static final class Tail {
    final Deque<JsonObject> records = new ArrayDeque<>();
    String userId;
    boolean open = true;
  }

  synchronized void add(Kind kind, ConsumerRecord<String, byte[]> record) {
    JsonObject shown = show(kind, record);
    if (kind == Kind.INBOUND) {
      addInbound(record, shown);
      return;
    }
    String connectionId = header(record, CeHeaders.CONNECTION_ID);
    String userId = header(record, CeHeaders.USER_ID);
    if (connectionId != null) {
      append(connectionId, shown, false);
    } else if (userId != null) {
      tails.forEach((id, tail) -> appendIf(userId.equals(tail.userId), tail, shown));
    } else if (EventTypes.BROADCAST.equals(header(record, CeHeaders.TYPE))) {
      tails.values().forEach(tail -> appendIf(tail.open, tail, shown));
    }
  }

  /** The connection whose page sent {@code marker}, or null. */
  synchronized String connectionOf(String marker) {
    return connectionByMarker.get(marker);
  }

  /** The connection's records, oldest first; empty when unknown. */
  synchronized JsonArray records(String connectionId) {
    Tail tail = tails.get(connectionId);
    return tail == null ? new JsonArray() : new JsonArray(new ArrayList<>(tail.records));
  }

  private void addInbound(ConsumerRecord<String, byte[]> record, JsonObject shown) {
    String connectionId = header(record, CeHeaders.CONNECTION_ID);
    if (connectionId == null) {
      connectionId = record.key();
    }
    if (connectionId == null) {
      return;
    }
    Tail tail = append(connectionId, shown, true);
    tail.userId = header(record, CeHeaders.USER_ID);
    String type = header(record, CeHeaders.TYPE);
    if (EventTypes.CLOSE.equals(type)) {
      tail.open = false;
    } else if (EventTypes.MESSAGE.equals(type) && record.value() != null && shown.getBoolean("text")) {
      Matcher marker = MARKER.matcher(shown.getString("value"));
      if (marker.find()) {
        connectionByMarker.putIfAbsent(marker.group(1), connectionId);
      }
    }
  }

  private Tail append(String connectionId, JsonObject shown, boolean create) {
    Tail tail = create ? tails.computeIfAbsent(connectionId, id -> new Tail()) : tails.get(connectionId);
    if (tail != null) {
      appendIf(true, tail, shown);
    }
    return tail;
  }

  private void appendIf(boolean condition, Tail tail, JsonObject shown) {
    if (condition) {
      tail.records.addLast(shown);
      while (tail.records.size() > recordsPerConnection) {
        tail.records.removeFirst();
      }
    }
  }

  private static JsonObject show(Kind kind, ConsumerRecord<String, byte[]> record) {
    JsonObject headers = new JsonObject();
    for (Header header : record.headers()) {
      headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
    }
    byte[] value = record.value() == null ? new byte[0] : record.value();
    int previewLength = Math.min(value.length, DEFAULT_PREVIEW_BYTES);
    byte[] preview = Arrays.copyOf(value, previewLength);
    String contentType = headers.getString(CeHeaders.CONTENT_TYPE);
    boolean text = contentType == null ? Utf8.isValid(value)
        : contentType.startsWith("text/") || contentType.startsWith("application/json");
    return new JsonObject()
        .put("topic", kind.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("partition", record.partition())
        .put("offset", record.offset())
        .put("timestamp", record.timestamp())
        .put("key", record.key())
        .put("headers", headers)
        .put("bytes", value.length)
        .put("text", text)
        .put("value", text ? new String(preview, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(preview))
        .put("truncated", previewLength < value.length);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static <V> Map<String, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }
}
