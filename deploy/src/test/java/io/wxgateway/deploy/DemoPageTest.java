package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo page (README "Demo page"): with demo echo on, a real headless Chromium opens it, connects,
 * sends text and binary, sees the echoes and the socket's records, closes with a code and sees it;
 * without demo echo there is no page. The browser is Debian's {@code chromium} (.ci/run installs it):
 * missing, the browser test is skipped locally and fails under {@code CI=true}.
 */
class DemoPageTest {

  private static final Path BROWSER_TEST = Path.of("src", "test", "browser");
  private static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestEnv.singleNode().with("WXGW_DEMO_ECHO", "true"));
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
  }

  @Test
  void withoutDemoEchoThereIsNoPage() throws Exception {
    try (TestNode plain = TestNode.start(TestEnv.singleNode())) {
      assertEquals(404, plain.get("/demo").statusCode());
      assertEquals(404, plain.get("/demo/records?marker=x").statusCode());
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
