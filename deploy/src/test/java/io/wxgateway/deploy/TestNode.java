package io.wxgateway.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.wxgateway.common.testing.TestSocket;

/** A node started in process from a {@link TestEnv}, with a Vert.x for its test clients; {@link #close} stops both. */
final class TestNode implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WxRuntime runtime;
  private final int port;
  private final Vertx clients = Vertx.vertx();

  private TestNode(WxRuntime runtime, int port) {
    this.runtime = runtime;
    this.port = port;
  }

  static TestNode start(TestEnv env) throws Exception {
    return new TestNode(WxRuntime.start(env.config()), env.gatewayPort());
  }

  WxRuntime runtime() {
    return runtime;
  }

  /** The gateway's WebSocket port. */
  int port() {
    return port;
  }

  Vertx clients() {
    return clients;
  }

  TestSocket connect(String path) {
    return TestSocket.connect(clients, port, path);
  }

  TestSocket connect(String path, MultiMap headers) {
    return TestSocket.connect(clients, port, path, headers);
  }

  /** A GET on the management port (health, metrics, admin). */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.managementPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    clients.close().await();
    runtime.stop();
  }
}
