package io.wxgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.GatewayOptions;

/**
 * The demo page on the management port, served only with {@code demo.page} (which --demo-echo sets): {@code /demo} (plain
 * HTML and JavaScript from this jar's resources, no build step), {@code /demo/config} (where the
 * gateway listens, so the page can prefill its URL) and {@code /demo/records} (the socket's last
 * records, from {@link RecordTail}).
 */
final class DemoPage {

  static final String PREFIX = "/demo";
  private static final Map<String, String> FILES = Map.of(
      "/demo", "index.html",
      "/demo/", "index.html",
      "/demo/demo.js", "demo.js",
      "/demo/demo.css", "demo.css");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

  private final Map<String, Buffer> files;
  private final JsonObject config;
  private final RecordTail tail;

  /** Reads the page's files: call it from a thread that may block (the launcher's). */
  DemoPage(GatewayOptions gateway, boolean echo, RecordTail tail) {
    this.files = Map.of("index.html", resource("index.html"), "demo.js", resource("demo.js"), "demo.css", resource("demo.css"));
    this.config = new JsonObject()
        .put("gatewayPort", gateway.getPort())
        .put("gatewayPath", gateway.getPath())
        .put("tls", gateway.getTls().isEnabled())
        .put("echo", echo);
    this.tail = tail;
  }

  boolean handles(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  void handle(HttpServerRequest req) {
    String path = req.path();
    if (path.equals("/demo/config")) {
      json(req, 200, config);
    } else if (path.equals("/demo/records")) {
      records(req);
    } else if (FILES.containsKey(path)) {
      String file = FILES.get(path);
      req.response().putHeader("content-type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)))
          .putHeader("cache-control", "no-store").end(files.get(file));
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  /** {@code ?marker=...} (the page's own connection, once its first message was read) or {@code ?connection=id}. */
  private void records(HttpServerRequest req) {
    String marker = req.getParam("marker");
    String connection = req.getParam("connection");
    if ((marker == null) == (connection == null)) {
      json(req, 400, new JsonObject().put("error", "give exactly one of ?marker= (what the page sent in its "
          + "first message as [demo <marker>]) or ?connection= (a connection id)"));
      return;
    }
    String connectionId = connection != null ? connection : tail.connectionOf(marker);
    json(req, 200, new JsonObject().put("connectionId", connectionId)
        .put("records", connectionId == null ? new JsonArray() : tail.records(connectionId)));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
  }

  private static Buffer resource(String name) {
    try (InputStream in = DemoPage.class.getResourceAsStream("demo/" + name)) {
      if (in == null) {
        throw new IllegalStateException("the demo page's " + name + " is missing from the jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
