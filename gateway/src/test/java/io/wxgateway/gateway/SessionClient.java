package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.TestSocket;

/** A test client of the session protocol: a real WebSocket that offers wx.session.v1 and reads its frames. */
final class SessionClient implements AutoCloseable {

  /** A frame the gateway wrote: its header line, its body (after the newline) and whether it was text. */
  record Frame(JsonObject header, Buffer body, boolean text) {
    String type() {
      return header.getString("t");
    }

    String bodyText() {
      return body.toString(StandardCharsets.UTF_8);
    }
  }

  final TestSocket socket;

  private SessionClient(TestSocket socket) {
    this.socket = socket;
  }

  /** Connects; {@code bearer} is a JWT, or null for an anonymous socket. */
  static SessionClient connect(Vertx vertx, int port, String bearer) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (bearer != null) {
      headers.add("Authorization", "Bearer " + bearer);
    }
    TestSocket socket = TestSocket.connect(vertx, TestSocket.clientOptions(),
        TestSocket.connectOptions(port, "/ws").setHeaders(headers).addSubProtocol("wx.session.v1"));
    assertEquals("wx.session.v1", socket.subProtocol());
    return new SessionClient(socket);
  }

  /** Sends hello (a resume when {@code token} is not null) and answers the welcome. */
  Frame hello(String token) {
    JsonObject hello = new JsonObject().put("t", "hello").put("v", 1);
    if (token != null) {
      hello.put("resume", token);
    }
    socket.sendText(hello.encode());
    Frame welcome = next();
    assertEquals("welcome", welcome.type(), welcome.header().encode());
    return welcome;
  }

  Frame next() {
    TestSocket.Received r = socket.next();
    Buffer data = r.data();
    int newline = -1;
    for (int i = 0; i < data.length(); i++) {
      if (data.getByte(i) == '\n') {
        newline = i;
        break;
      }
    }
    int end = newline < 0 ? data.length() : newline;
    JsonObject header = new JsonObject(data.getString(0, end, "UTF-8"));
    Buffer body = newline < 0 ? Buffer.buffer() : data.getBuffer(newline + 1, data.length());
    return new Frame(header, body, r.text());
  }

  SessionClient send(String frame) {
    socket.sendText(frame);
    return this;
  }

  SessionClient ack(String... positions) {
    socket.sendText(new JsonObject().put("t", "ack").put("p", new io.vertx.core.json.JsonArray(
        java.util.List.of((Object[]) positions))).encode());
    return this;
  }

  @Override
  public void close() {
    socket.close();
  }
}
