package io.wxgateway.gateway.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.vertx.core.Context;

/**
 * The {@code got} frames of one session socket: the ids of the client's messages that Kafka took,
 * {@code {"t":"got","ids":["m-1","m-2"]}}. Ids confirmed during one event-loop task (Kafka's answers
 * arrive in bursts) leave in one frame, at the task's end. A confirmation the socket can no longer
 * carry is lost with it, and the client sends the message again on its next socket. The last
 * {@value #RECENT} ids confirmed are kept, and a resume hands them to the session's next socket,
 * which confirms such a message rather than relaying it twice; past them, or when the node that
 * held the session is gone, it reaches Kafka twice and backends dedupe by {@code ce_clientmsgid}.
 * Event loop only.
 */
final class MessageConfirms {

  /** Longest id a client may give a message. */
  static final int MAX_ID_LENGTH = 64;

  /** How many confirmed ids are kept for the session's next socket: a burst lost in flight at a cut. */
  static final int RECENT = 32;

  private final Context context;
  private final Predicate<String> write;
  private List<String> pending;
  private final ArrayDeque<String> recent = new ArrayDeque<>(RECENT);

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

  /** Ids the session's previous socket had confirmed (a resume): they count as confirmed here. */
  void seed(List<String> ids) {
    ids.stream().skip(Math.max(0, ids.size() - RECENT)).forEach(this::remember);
  }

  /** Whether Kafka took the message with this id, from this socket or its session's previous one. */
  boolean knows(String id) {
    return recent.contains(id);
  }

  /** The last {@value #RECENT} ids confirmed, oldest first. */
  List<String> recent() {
    return List.copyOf(recent);
  }

  private void remember(String id) {
    if (recent.contains(id)) {
      return;
    }
    if (recent.size() == RECENT) {
      recent.removeFirst();
    }
    recent.addLast(id);
  }

  void add(String id) {
    remember(id);
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
