package io.wxgateway.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.wxgateway.common.contract.CeHeaders;
import io.wxgateway.common.contract.ContentTypes;
import io.wxgateway.common.contract.EventTypes;
import io.wxgateway.common.options.KafkaOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Where fanout's records go: to the gateway (a record on the outbound topic, addressed to a
 * connection, a user or everyone, as a backend writes it) or straight to the bare server's sockets.
 */
interface FanoutPusher {

  /** Writes record {@code record}; {@code pending} learns where it was written (or why it was not), if it can. */
  void push(String mode, long record, long seq, String payload, FanoutTracker.Pending pending);

  /** Records on the outbound topic; {@code connectionIds} (by connection only) in socket order. */
  static FanoutPusher gateway(KafkaProducer<String, byte[]> producer, KafkaOptions kafka, String[] connectionIds,
      int n, int spu) {
    return (mode, record, seq, payload, pending) -> producer.send(record(kafka, mode, record, payload, connectionIds,
        n, spu), (metadata, e) -> {
          if (e != null) {
            pending.sendError = e.toString();
          } else {
            pending.partition = metadata.partition();
            pending.offset = metadata.offset();
          }
        });
  }

  private static ProducerRecord<String, byte[]> record(KafkaOptions kafka, String mode, long record,
      String payload, String[] connectionIds, int n, int spu) {
    RecordHeaders h = new RecordHeaders();
    h.add(CeHeaders.CONTENT_TYPE, ContentTypes.TEXT_UTF8.getBytes(StandardCharsets.UTF_8));
    String key;
    switch (mode) {
      case "connection" -> {
        key = connectionIds[(int) (record % n)];
        h.add(CeHeaders.TYPE, EventTypes.SEND.getBytes(StandardCharsets.UTF_8));
        h.add(CeHeaders.CONNECTION_ID, key.getBytes(StandardCharsets.UTF_8));
      }
      case "user" -> {
        int users = (n + spu - 1) / spu;
        key = "u" + (record % users);
        h.add(CeHeaders.TYPE, EventTypes.SEND.getBytes(StandardCharsets.UTF_8));
        h.add(CeHeaders.USER_ID, key.getBytes(StandardCharsets.UTF_8));
      }
      default -> {
        key = null;
        h.add(CeHeaders.TYPE, EventTypes.BROADCAST.getBytes(StandardCharsets.UTF_8));
      }
    }
    return new ProducerRecord<>(kafka.getOutboundTopic(), null, key, payload.getBytes(StandardCharsets.US_ASCII), h);
  }

  /** Same addressing as the gateway's records, written straight to the bare server's sockets on their loops. */
  static FanoutPusher bare(BareServer bare, int spu) {
    List<ServerWebSocket> all = new ArrayList<>();
    List<Context> contexts = new ArrayList<>();
    for (BareServer.Loop loop : bare.loops) {
      for (ServerWebSocket s : loop.sockets) {
        all.add(s);
        contexts.add(loop.context);
      }
    }
    int n = all.size();
    return (mode, record, seq, payload, pending) -> {
      switch (mode) {
        case "connection" -> {
          int i = (int) (record % n);
          ServerWebSocket s = all.get(i);
          contexts.get(i).runOnContext(v -> s.writeTextMessage(payload));
        }
        case "user" -> {
          int users = (n + spu - 1) / spu;
          int user = (int) (record % users);
          for (int i = user * spu; i < Math.min(n, (user + 1) * spu); i++) {
            ServerWebSocket s = all.get(i);
            contexts.get(i).runOnContext(v -> s.writeTextMessage(payload));
          }
        }
        default -> {
          for (BareServer.Loop loop : bare.loops) {
            loop.context.runOnContext(v -> {
              for (ServerWebSocket s : loop.sockets) {
                s.writeTextMessage(payload);
              }
            });
          }
        }
      }
    };
  }
}
