package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import java.util.concurrent.TimeUnit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo page (README "Demo page"): with demo echo on, a real headless Chromium opens it, connects,
 * sends text and binary, sees the echoes and the socket's records, closes with a code and sees it;
 * with demo.page alone the page and its records are there too; with neither there is no page. The browser is Debian's {@code chromium} (.ci/run installs it):
 * missing, the browser test is skipped locally and fails under {@code CI=true}.
 */
class DemoPageTest {

  private static final Path BROWSER_TEST = Path.of("src", "test", "browser");
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    // What --demo-echo sets: the echo backend and the page.
    node = TestNode.start(TestEnv.singleNode().with("WXGW_DEMO_ECHO", "true").with("WXGW_DEMO_PAGE", "true"));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aRealBrowserConnectsSendsSeesEchoesAndRecordsAndClosesWithACode() throws Exception {
    Path chromium = requireChromium();
    NodeProcess.npmCi(BROWSER_TEST);
    String url = "http://127.0.0.1:" + node.runtime().managementPort() + "/demo";
    try (NodeProcess browser = NodeProcess.start(BROWSER_TEST, List.of("demo-page.test.js", url),
        Map.of("CHROMIUM", chromium.toString()), "demo-page-browser.log", null)) {
      int exit = browser.waitFor(120);
      assertEquals(0, exit, "the browser test failed:\n" + browser.log());
      assertTrue(browser.log().contains("demo page test passed"), browser.log());
    }
  }

  @Test
  void theRecordsEndpointSaysWhatItNeeds() throws Exception {
    assertEquals(400, node.get("/demo/records").statusCode());
    assertEquals(400, node.get("/demo/records?marker=a&connection=b").statusCode());
    JsonObject unknown = new JsonObject(node.get("/demo/records?marker=no-such-marker-at-all").body());
    assertEquals(null, unknown.getString("connectionId"));
    assertTrue(unknown.getJsonArray("records").isEmpty());
    JsonObject config = new JsonObject(node.get("/demo/config").body());
    assertEquals(node.port(), config.getInteger("gatewayPort"));
    assertEquals("/ws", config.getString("gatewayPath"));
    assertEquals(true, config.getBoolean("echo"));
  }

  @Test
  void withoutDemoEchoThereIsNoPage() throws Exception {
    try (TestNode plain = TestNode.start(TestEnv.singleNode())) {
      assertEquals(404, plain.get("/demo").statusCode());
      assertEquals(404, plain.get("/demo/records?marker=x").statusCode());
    }
  }

  @Test
  void demoPageAloneTailsTheRecordsOfTheSocketThatSentItsMarker() throws Exception {
    try (TestNode pageOnly = TestNode.start(TestEnv.singleNode().with("WXGW_DEMO_PAGE", "true"))) {
      assertEquals(200, pageOnly.get("/demo").statusCode());
      assertTrue(pageOnly.get("/demo").body().contains("<title>wx-gateway demo</title>"));
      assertEquals(false, new JsonObject(pageOnly.get("/demo/config").body()).getBoolean("echo"));
      assertTrue(pageOnly.get("/demo/demo.js").headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
      TestSocket socket = pageOnly.connect("/ws");
      socket.sendText("hello from a test [demo marker-of-this-test-01]");
      socket.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
      JsonObject[] found = new JsonObject[1];
      Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> {
        found[0] = new JsonObject(pageOnly.get("/demo/records?marker=marker-of-this-test-01").body());
        return found[0].getJsonArray("records").size() >= 3;
      });
      JsonArray records = found[0].getJsonArray("records");
      String connectionId = found[0].getString("connectionId");
      assertEquals("wx.socket.open", records.getJsonObject(0).getJsonObject("headers").getString("ce_type"));
      assertEquals(connectionId, records.getJsonObject(1).getString("key"));
      assertEquals("hello from a test [demo marker-of-this-test-01]", records.getJsonObject(1).getString("value"));
      JsonObject binary = records.getJsonObject(2);
      assertEquals(false, binary.getBoolean("text"));
      assertEquals("AQID", binary.getString("value"), "binary values are shown in base64");
      assertEquals(records, new JsonObject(pageOnly.get("/demo/records?connection=" + connectionId).body())
          .getJsonArray("records"));
      socket.close();
    }
  }

  /** Debian's chromium (or $CHROMIUM); skips the test when it is missing, except under CI=true where that fails. */
  private static Path requireChromium() {
    Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    boolean present = Files.isExecutable(chromium);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(chromium + " is missing: install the Debian package chromium (.ci/run does)");
    }
    Assumptions.assumeTrue(present, chromium + " is missing (apt-get install -y chromium); skipped outside CI");
    return chromium;
  }
}
