package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.wxgateway.common.process.ChildJvm;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.examples.chat.ChatBackend;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example backends of examples/ (README "Examples"), each started the way its README says,
 * pointed at a real node and broker by environment variables, and driven through the gateway by
 * real WebSocket clients over every command of the demo protocol: so the examples cannot rot.
 */
class ExampleBackendsTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String SECRET = "example-backends-test-secret-long-enough";
  private static final String READY = "chat backend ready";

  private TestNode node;
  private Map<String, String> backendEnv;

  @BeforeEach
  void startNode() throws Exception {
    TestEnv env = TestEnv.singleNode()
        .with("WXGW_GATEWAY_AUTH_MODE", "jwt")
        .with("WXGW_GATEWAY_AUTH_SECRET", SECRET);
    Map<String, String> settings = env.build();
    node = TestNode.start(env);
    backendEnv = Map.of(
        "KAFKA_BROKERS", KafkaTestBroker.bootstrapServers(),
        "WX_INBOUND_TOPIC", settings.get("WXGW_KAFKA_INBOUND_TOPIC"),
        "WX_OUTBOUND_TOPIC", settings.get("WXGW_KAFKA_OUTBOUND_TOPIC"),
        "WX_DEAD_LETTER_TOPIC", settings.get("WXGW_KAFKA_DEAD_LETTER_TOPIC"),
        "CHAT_GROUP_ID", KafkaTestBroker.uniqueTopic("chat"),
        "CHAT_OFFSET_RESET", "earliest");
  }

  @AfterEach
  void stopNode() {
    node.close();
  }

  @Test
  void nodeChatAnswersEveryCommandThroughTheGateway() throws Exception {
    Path dir = EXAMPLES.resolve("node-chat");
    NodeProcess.npmCi(dir);
    try (NodeProcess backend = NodeProcess.start(dir, List.of("chat.js"), backendEnv, "example-node-chat.log", READY)) {
      exerciseChat(backend::log);
    }
  }

  @Test
  void javaChatAnswersEveryCommandThroughTheGateway() throws Exception {
    Path log = Path.of("target", "example-java-chat.log");
    Process backend = ChildJvm.of(ChatBackend.class).env(backendEnv).log(log.getFileName().toString())
        .start(line -> line.contains(READY));
    try {
      exerciseChat(() -> read(log));
    } finally {
      backend.destroy();
      backend.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Every command of examples/README.md, from two users' sockets, and what the backend logs of it. */
  private void exerciseChat(Supplier<String> backendLog) {
    TestSocket alice = connect("alice");
    assertTrue(alice.next().asText().startsWith("welcome alice; commands: /echo"), "the open event is answered");

    alice.sendText("/echo hello 你好");
    assertEquals("hello 你好", alice.next().asText());
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    alice.sendBinary(Buffer.buffer(bytes));
    TestSocket.Received binary = alice.next();
    assertFalse(binary.text(), "binary comes back as binary");
    assertArrayEquals(bytes, binary.data().getBytes());

    TestSocket bob = connect("bob");
    assertTrue(bob.next().asText().startsWith("welcome bob;"));
    alice.sendText("/to-user bob hi bob");
    assertEquals("alice: hi bob", bob.next().asText());

    alice.sendText("/all hello everyone");
    assertEquals("alice to all: hello everyone", alice.next().asText());
    assertEquals("alice to all: hello everyone", bob.next().asText());

    alice.sendText("/to-user carol are you there?");
    assertEquals("undelivered to carol: user-offline", alice.next().asText(), "the dead letter is reported to the sender");
    Awaitility.await().atMost(20, TimeUnit.SECONDS)
        .until(() -> backendLog.get().contains("dead letter user-offline for carol"));

    alice.sendText("/nonsense");
    assertTrue(alice.next().asText().startsWith("unknown command; commands:"));

    bob.sendText("/bye");
    TestSocket.Closed closed = bob.awaitClose();
    assertEquals(4100, closed.code());
    assertEquals("bye", closed.reason());
    Awaitility.await().atMost(20, TimeUnit.SECONDS)
        .until(() -> backendLog.get().lines().anyMatch(line -> line.contains("closed") && line.contains("4100")));
    alice.close();
  }

  private TestSocket connect(String user) {
    JWTAuth jwt = JWTAuth.create(node.clients(), new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    String token = jwt.generateToken(new JsonObject().put("sub", user), new JWTOptions().setExpiresInSeconds(600));
    return node.connect("/ws", MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token));
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }
}
