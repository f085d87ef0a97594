package io.wxgateway.gateway.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.vertx.core.Context;

/**
 * The {@code got} frames of one session socket: the ids of the client's messages that Kafka took,
 * {@code {"t":"got","ids":["m-1","m-2"]}}. Ids confirmed during one event-loop task (Kafka's answers
 * arrive in bursts) leave in one frame, at the task's end. A confirmation the socket can no longer
 * carry is lost with it, and the client sends the message again: backends dedupe by
 * {@code ce_clientmsgid}. Event loop only.
 */
final class MessageConfirms {

  /** Longest id a client may give a message. */
  static final int MAX_ID_LENGTH = 64;

  private final Context context;
  private final Predicate<String> write;
  private List<String> pending;

  /** {@code write}: queues a frame on the socket, false when it could not. */
  MessageConfirms(Context context, Predicate<String> write) {
    this.context = context;
    this.write = write;
  }

  /** Ids are plain tokens, so a {@code got} frame is built without escaping and a header holds them as they are. */
  static boolean isValidId(Object id) {
    if (!(id instanceof String s) || s.isEmpty() || s.length() > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
          || c == ':' || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  void add(String id) {
    if (pending == null) {
      pending = new ArrayList<>();
      context.runOnContext(v -> flush());
    }
    pending.add(id);
  }

  private void flush() {
    List<String> ids = pending;
    pending = null;
    StringBuilder frame = new StringBuilder(16 + ids.size() * 12).append("{\"t\":\"got\",\"ids\":[");
    for (int i = 0; i < ids.size(); i++) {
      frame.append(i == 0 ? "\"" : ",\"").append(ids.get(i)).append('"');
    }
    write.test(frame.append("]}").toString());
  }
}
