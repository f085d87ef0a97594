package io.wxgateway.gateway.resume;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.codec.CeTime;
import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.ContentTypes;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.gateway.session.PushLedger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records sessions publish: lifecycle events on the inbound topic (keyed by user id, else by
 * session id, so they are in order per user) and receipts on the receipts topic (keyed by session
 * id), with the headers of docs/sessions.md. Thread-safe.
 */
final class SessionEvents {

  private final String inboundTopic;
  private final String receiptsTopic;
  private final String source;
  private final CeTime time = CeTime.system();

  SessionEvents(String inboundTopic, String receiptsTopic, String nodeId) {
    this.inboundTopic = inboundTopic;
    this.receiptsTopic = receiptsTopic;
    this.source = "/wx-gateway/" + nodeId;
  }

  /** {@code value}: the event's JSON, with at least sessionId, connectionId, userId, appId. */
  ProducerRecord<String, byte[]> lifecycle(String type, JsonObject value) {
    String session = value.getString("sessionId");
    String user = value.getString("userId");
    Headers headers = common(type, session, value.getString("connectionId"), user);
    add(headers, CeHeaders.APP_ID, value.getString("appId"));
    add(headers, CeHeaders.CONTENT_TYPE, ContentTypes.JSON);
    return new ProducerRecord<>(inboundTopic, null, user != null ? user : session, value.toBuffer().getBytes(),
        headers);
  }

  ProducerRecord<String, byte[]> receipt(String session, String connection, String user, PushLedger.Acked acked) {
    Headers headers = common(EventTypes.PUSH_RECEIPT, session, connection, user);
    add(headers, CeHeaders.PUSH_ID, acked.pushId());
    add(headers, CeHeaders.POSITION, acked.position());
    return new ProducerRecord<>(receiptsTopic, null, session, new byte[0], headers);
  }

  private Headers common(String type, String session, String connection, String user) {
    Headers headers = new RecordHeaders();
    add(headers, CeHeaders.SPECVERSION, CeHeaders.SPEC_VERSION_1_0);
    add(headers, CeHeaders.TYPE, type);
    add(headers, CeHeaders.ID, UUID.randomUUID().toString());
    add(headers, CeHeaders.SOURCE, source);
    headers.add(CeHeaders.TIME, time.now());
    add(headers, CeHeaders.SESSION_ID, session);
    add(headers, CeHeaders.CONNECTION_ID, connection);
    add(headers, CeHeaders.USER_ID, user);
    return headers;
  }

  private static void add(Headers headers, String key, String value) {
    if (value != null) {
      headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
