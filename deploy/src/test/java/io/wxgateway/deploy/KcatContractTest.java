package io.wxgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka contract as a backend outside the JVM sees it: kcat (librdkafka, Debian package
 * "kcat") reads the inbound records and the dead letters and writes outbound records, and every
 * header is checked against the README's contract tables, name by name.
 */
class KcatContractTest {

  private static final String SECRET = "kcat-contract-test-secret-long-enough-for-hs256";
  private static final String APP_ID = "wx0123456789abcdef";
  private static final String RFC_3339_UTC = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z";

  private static TestNode node;
  private static TestEnv env;

  @TempDir
  Path work;

  @BeforeAll
  static void start() throws Exception {
    env = TestEnv.singleNode().with("WXGW_GATEWAY_AUTH_MODE", "jwt").with("WXGW_GATEWAY_AUTH_SECRET", SECRET);
    node = TestNode.start(env);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void inboundRecordsCarryExactlyTheContractsHeaders() throws Exception {
    ExternalTool kcat = ExternalTool.require("kcat", "kcat");
    try (TestSocket socket = connect("alice")) {
      socket.sendText("你好 kcat");
      List<JsonObject> records = consume(kcat, inbound(), ofUser("alice"), 2);
      String connectionId = records.get(0).getString("key");
      Map<String, String> open = headers(records.get(0));
      Map<String, String> message = headers(records.get(1));

      assertEquals(List.of("ce_specversion", "ce_id", "ce_source", "ce_time", "ce_type", "ce_connectionid",
          "ce_userid", "ce_appid", "ce_seq", "content-type").stream().sorted().toList(),
          message.keySet().stream().sorted().toList(), "the message's headers, no more, no less");
      assertEquals("1.0", message.get("ce_specversion"));
      assertEquals(connectionId + "-2", message.get("ce_id"));
      assertEquals("/wx-gateway/" + node.runtime().nodeId(), message.get("ce_source"));
      assertTrue(message.get("ce_time").matches(RFC_3339_UTC), message.get("ce_time"));
      assertEquals("wx.socket.message", message.get("ce_type"));
      assertEquals(connectionId, message.get("ce_connectionid"));
      assertTrue(connectionId.startsWith(node.runtime().nodeId() + "."), connectionId);
      assertEquals("alice", message.get("ce_userid"));
      assertEquals(APP_ID, message.get("ce_appid"));
      assertEquals("2", message.get("ce_seq"));
      assertEquals("text/plain; charset=utf-8", message.get("content-type"));
      assertEquals("你好 kcat", records.get(1).getString("payload"), "the value is the bytes the client sent");

      assertEquals("wx.socket.open", open.get("ce_type"));
      assertEquals("1", open.get("ce_seq"));
      assertEquals("application/json", open.get("content-type"));
      JsonObject openValue = new JsonObject(records.get(0).getString("payload"));
      assertEquals("alice", openValue.getString("userId"));
      assertEquals("0", openValue.getString("appVersion"), "a development build's version");
    }
  }

  @Test
  void recordsWrittenByKcatReachTheSocketAsTextOrBinaryAndTheRestIsDeadLettered() throws Exception {
    ExternalTool kcat = ExternalTool.require("kcat", "kcat");
    try (TestSocket socket = connect("bob")) {
      String connectionId = consume(kcat, inbound(), ofUser("bob"), 1).get(0).getString("key");
      produce(kcat, connectionId, "{\"greeting\":\"你好\"}", "ce_connectionid=" + connectionId, "content-type=application/json");
      produce(kcat, "bob", "raw bytes", "ce_userid=bob", "content-type=application/octet-stream");
      produce(kcat, connectionId, "gone", "ce_connectionid=" + node.runtime().nodeId() + ".AAAAAAAAAAAAAAAAAAAAAA",
          "ce_id=backend-42");

      TestSocket.Received json = socket.next();
      assertTrue(json.text(), "application/json is a text message");
      assertEquals("{\"greeting\":\"你好\"}", json.asText());
      TestSocket.Received binary = socket.next();
      assertFalse(binary.text(), "application/octet-stream is a binary message");
      assertEquals("raw bytes", binary.data().toString(StandardCharsets.UTF_8));

      Map<String, String> deadLetter = headers(consume(kcat, env.build().get("WXGW_KAFKA_DEAD_LETTER_TOPIC"), r -> true, 1).get(0));
      assertEquals("connection-not-found", deadLetter.get("ce_deliveryerror"));
      assertFalse(deadLetter.getOrDefault("ce_deliverydetail", "").isBlank(), "a detail in words");
      assertEquals("backend-42", deadLetter.get("ce_id"), "the original headers are kept");
    }
  }

  private static TestSocket connect(String user) {
    JWTAuth jwt = JWTAuth.create(node.clients(), new JWTAuthOptions().addPubSecKey(
        new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    String token = jwt.generateToken(new JsonObject().put("sub", user), new JWTOptions().setExpiresInSeconds(600));
    return node.connect("/ws", MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Bearer " + token)
        .add("Referer", "https://servicewechat.com/" + APP_ID + "/0/page-frame.html"));
  }

  private static String inbound() {
    return env.build().get("WXGW_KAFKA_INBOUND_TOPIC");
  }

  /** The first {@code count} records of the topic that match, as kcat's JSON envelopes, waiting until they are there. */
  private List<JsonObject> consume(ExternalTool kcat, String topic, Predicate<JsonObject> filter, int count) {
    List<JsonObject> records = new ArrayList<>();
    Awaitility.await(count + " record(s) on " + topic).atMost(30, TimeUnit.SECONDS).until(() -> {
      ExternalTool.Run run = kcat.run(work, 30, "-b", KafkaTestBroker.bootstrapServers(), "-C", "-t", topic,
          "-o", "beginning", "-e", "-q", "-J");
      records.clear();
      run.output().lines().filter(l -> l.startsWith("{")).map(JsonObject::new).filter(filter).limit(count)
          .forEach(records::add);
      return records.size() == count;
    });
    return records;
  }

  private static Predicate<JsonObject> ofUser(String user) {
    return record -> user.equals(headers(record).get("ce_userid"));
  }

  private void produce(ExternalTool kcat, String key, String value, String... headers) throws Exception {
    List<String> args = new ArrayList<>(List.of("-b", KafkaTestBroker.bootstrapServers(), "-P",
        "-t", env.build().get("WXGW_KAFKA_OUTBOUND_TOPIC"), "-k", key));
    for (String header : headers) {
      args.add("-H");
      args.add(header);
    }
    ExternalTool.Run run = kcat.pipe(value + "\n", work, 30, args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.output());
  }

  private static Map<String, String> headers(JsonObject record) {
    JsonArray pairs = record.getJsonArray("headers", new JsonArray());
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      headers.put(pairs.getString(i), pairs.getString(i + 1));
    }
    return headers;
  }
}
