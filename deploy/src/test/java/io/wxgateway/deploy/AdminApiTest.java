package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API on the management port: bearer token, list, details, close by connection and by user. */
class AdminApiTest {

  private static final String SECRET = "admin-api-test-secret-long-enough-for-hs256";
  private static final String ADMIN_TOKEN = "let-me-in";
  private static TestNode node;
  private static WxRuntime runtime;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestEnv.singleNode()
        .with("WXGW_GATEWAY_AUTH_MODE", "jwt")
        .with("WXGW_GATEWAY_AUTH_SECRET", SECRET)
        .with("WXGW_ADMIN_TOKEN", ADMIN_TOKEN));
    runtime = node.runtime();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void withoutTheTokenEverythingIs401() throws Exception {
    assertEquals(401, call("GET", "/admin/connections", null, null).statusCode());
    assertEquals(401, call("GET", "/admin/nodes", "wrong", null).statusCode());
  }

  @Test
  void listDetailAndCloseByConnectionAndByUser() throws Exception {
    TestSocket carol1 = connect("carol");
    TestSocket carol2 = connect("carol");
    TestSocket dave = connect("dave");
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> runtime.gateway().registry().size() >= 3);

    JsonObject carols = json(call("GET", "/admin/connections?userId=carol", ADMIN_TOKEN, null));
    assertEquals(2, carols.getInteger("total"));
    JsonObject page = json(call("GET", "/admin/connections?limit=1&offset=1", ADMIN_TOKEN, null));
    assertEquals(1, page.getJsonArray("connections").size(), "paged");
    String daveId = json(call("GET", "/admin/connections?userId=dave", ADMIN_TOKEN, null))
        .getJsonArray("connections").getJsonObject(0).getString("connectionId");
    assertEquals("dave", json(call("GET", "/admin/connections/" + daveId, ADMIN_TOKEN, null)).getString("userId"));
    assertEquals(true, json(call("GET", "/admin/users/carol", ADMIN_TOKEN, null)).getBoolean("online"));

    HttpResponse<String> closeDave = call("POST", "/admin/connections/" + daveId + "/close", ADMIN_TOKEN,
        new JsonObject().put("code", 4003).put("reason", "bye"));
    assertEquals(200, closeDave.statusCode(), closeDave.body());
    assertEquals(4003, dave.awaitClose().code());
    JsonObject closedCarol = json(call("POST", "/admin/users/carol/close", ADMIN_TOKEN,
        new JsonObject().put("code", 4100).put("reason", "logged out")));
    assertEquals(2, closedCarol.getInteger("closed"));
    assertEquals(4100, carol1.awaitClose().code());
    assertEquals(4100, carol2.awaitClose().code());
    assertTrue(json(call("GET", "/admin/nodes", ADMIN_TOKEN, null)).getJsonArray("nodes").size() >= 1);
  }

  @Test
  void badRequestsGetTheirStatus() throws Exception {
    assertEquals(404, call("GET", "/admin/connections/" + runtime.nodeId() + ".AAAAAAAAAAAAAAAAAAAAAA",
        ADMIN_TOKEN, null).statusCode());
    assertEquals(400, call("GET", "/admin/connections/not-an-id", ADMIN_TOKEN, null).statusCode());
    assertEquals(400, call("POST", "/admin/users/x/close", ADMIN_TOKEN, new JsonObject().put("code", 1011))
        .statusCode());
    assertEquals(404, call("GET", "/admin/nothing", ADMIN_TOKEN, null).statusCode());
    HttpResponse<String> wordCode = call("POST", "/admin/users/x/close", ADMIN_TOKEN,
        new JsonObject().put("code", "soon"));
    assertEquals(400, wordCode.statusCode(), wordCode.body());
    assertTrue(wordCode.body().contains("code must be a number"), wordCode.body());
  }

  private TestSocket connect(String user) {
    JWTAuth jwt = JWTAuth.create(node.clients(), new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    String token = jwt.generateToken(new JsonObject().put("sub", user), new JWTOptions().setExpiresInSeconds(600));
    return node.connect("/ws", MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer " + token));
  }

  private HttpResponse<String> call(String method, String path, String token, JsonObject body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.managementPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }
}
