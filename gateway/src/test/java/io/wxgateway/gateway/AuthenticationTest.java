package io.wxgateway.gateway;

import static io.wxgateway.common.testing.Records.header;
import static io.wxgateway.common.testing.Records.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import io.wxgateway.common.testing.TestSocket;
import io.wxgateway.gateway.auth.Hs256Tokens;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWT at the handshake: 401 before the upgrade for a bad token, the user id in every record. */
class AuthenticationTest {

  private final Vertx signer = Vertx.vertx();
  private GatewayTestSupport gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    signer.close().await();
  }

  private void start(AuthOptions auth) {
    gw = new GatewayTestSupport(new GatewayOptions().setInstances(1).setAuth(auth));
  }

  @Test
  void hs256TokenInTheHeaderNamesTheUserInEveryRecord() {
    start(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET));
    TestSocket socket = connectWithHeader(TestKeys.hs256(signer, "user-42", 60));
    socket.sendText("hi");
    List<ConsumerRecord<String, byte[]>> records = records(2);
    assertEquals("user-42", header(records.get(0), "ce_userid"));
    assertEquals("user-42", header(records.get(1), "ce_userid"));
    socket.close();
  }

  @Test
  void rs256AndEs256PublicKeysAndAJwksFileVerify(@TempDir Path dir) throws Exception {
    TestKeys rsa = TestKeys.rsa();
    Path pem = Files.writeString(dir.resolve("rsa.pem"), rsa.publicKeyPem());
    start(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setPublicKeyFile(pem.toString()));
    connectWithHeader(rsa.token(signer, "rsa-user", 60, null)).close();
    gw.close();

    TestKeys ec = TestKeys.ec();
    Path ecPem = Files.writeString(dir.resolve("ec.pem"), ec.publicKeyPem());
    start(new AuthOptions().setMode("jwt").setAlgorithm("ES256").setPublicKeyFile(ecPem.toString()));
    connectWithHeader(ec.token(signer, "ec-user", 60, null)).close();
    assertEquals(401, status(headers("Bearer " + rsa.token(signer, "rsa-user", 60, null))), "wrong key");
    gw.close();

    Path jwks = Files.writeString(dir.resolve("jwks.json"), rsa.jwks("key-1").encode());
    start(new AuthOptions().setMode("jwt").setAlgorithm("RS256").setJwksFile(jwks.toString()));
    connectWithHeader(rsa.token(signer, "jwks-user", 60, "key-1")).close();
    assertEquals("jwks-user", header(records(1).get(0), "ce_userid"));
  }

  @Test
  void missingForgedAndExpiredTokensGet401BeforeTheUpgrade() {
    start(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET));
    assertEquals(401, status(MultiMap.caseInsensitiveMultiMap()));
    assertEquals(401, status(headers("Bearer not.a.jwt")));
    String forged = TestKeys.hs256(signer, "u", 60);
    assertEquals(401, status(headers("Bearer " + forged.substring(0, forged.length() - 2) + "xx")));
    assertEquals(401, status(headers("Bearer " + TestKeys.hs256(signer, "u", -600))), "expired past the leeway");
    assertEquals(4, gw.counter("wx.handshakes.rejected", "reason", "unauthorized"));
    assertEquals(0, gw.node.registry().size(), "no socket opened and closed");
  }

  @Test
  void tokenInTheQueryWorksAndNeverReachesKafka() {
    start(new AuthOptions().setMode("jwt").setSecret(TestKeys.SECRET));
    String token = TestKeys.hs256(signer, "query-user", 60);
    TestSocket socket = TestSocket.connect(gw.vertx, TestSocket.clientOptions(),
        TestSocket.connectOptions(gw.port, "/ws?token=" + token));
    socket.sendText("hello");
    List<ConsumerRecord<String, byte[]>> records = records(2);
    assertEquals("query-user", header(records.get(0), "ce_userid"));
    for (ConsumerRecord<String, byte[]> r : records) {
      assertFalse(text(r).contains(token), "the token is not in the value");
      r.headers().forEach(h -> assertFalse(new String(h.value()).contains(token), "nor in " + h.key()));
    }
    socket.close();
  }

  @Test
  void aTokenThatExpiresWhileConnectedClosesTheSocketWith4001() {
    start(new AuthOptions(new JsonObject().put("mode", "jwt").put("secret", TestKeys.SECRET).put("leewaySeconds", 0)));
    TestSocket socket = connectWithHeader(TestKeys.hs256(signer, "short-lived", 2));
    TestSocket.Closed closed = socket.awaitClose();
    assertEquals(4001, closed.code());
    assertEquals("token expired", closed.reason());
  }

  @Test
  void aSocketReconnectingWithItsTokenIsAcceptedWithoutTheChecksUntilTheTokenExpires() {
    start(new AuthOptions(new JsonObject().put("mode", "jwt").put("secret", TestKeys.SECRET).put("leewaySeconds", 0)));
    // exp is whole seconds, so a TTL of N seconds is N-1 to N: long enough for two handshakes on a slow CI.
    String token = TestKeys.hs256(signer, "phone", 8);
    connectWithHeader(token).close();
    connectWithHeader(token).close();
    assertEquals(1, gw.counter("wx.auth.tokens", "check", "checked"));
    assertEquals(1, gw.counter("wx.auth.tokens", "check", "remembered"));
    assertEquals(List.of("phone", "phone"), KafkaTestBroker.awaitRecords(gw.inbound,
        r -> "wx.socket.open".equals(header(r, "ce_type")), 2, Duration.ofSeconds(20)).stream()
        .map(r -> header(r, "ce_userid")).toList(), "the remembered token names its user");
    // Accepted from the remembered tokens until exp; then refused, remembered or not.
    Awaitility.await().atMost(Duration.ofSeconds(13)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertEquals(401, status(headers("Bearer " + token))));
  }

  @Test
  void theClockSkewLeewayIsASettingForExpAndNbf() {
    start(new AuthOptions(new JsonObject().put("mode", "jwt").put("secret", TestKeys.SECRET).put("leewaySeconds", 120)));
    long now = System.currentTimeMillis() / 1000;
    connectWithHeader(hs256(new JsonObject().put("sub", "skewed").put("exp", now - 30))).close();
    connectWithHeader(hs256(new JsonObject().put("sub", "early").put("nbf", now + 30).put("exp", now + 600))).close();
    assertEquals(401, status(headers("Bearer " + hs256(new JsonObject().put("sub", "late").put("exp", now - 300)))));
    assertEquals(401, status(headers("Bearer " + hs256(new JsonObject().put("sub", "x").put("nbf", now + 300)))));
    // Two sockets: their records may land on different partitions, so compare as a set.
    assertEquals(java.util.Set.of("skewed", "early"), KafkaTestBroker.awaitRecords(gw.inbound,
        r -> "wx.socket.open".equals(header(r, "ce_type")), 2, Duration.ofSeconds(20)).stream()
        .map(r -> header(r, "ce_userid")).collect(java.util.stream.Collectors.toSet()),
        "both tokens inside the leeway named their user");
  }

  private static String hs256(JsonObject claims) {
    return Hs256Tokens.sign(claims, TestKeys.SECRET);
  }

  private TestSocket connectWithHeader(String token) {
    return TestSocket.connect(gw.vertx, gw.port, "/ws", headers("Bearer " + token));
  }

  private int status(MultiMap headers) {
    return TestSocket.rejectedStatus(gw.vertx, TestSocket.connectOptions(gw.port, "/ws").setHeaders(headers));
  }

  private static MultiMap headers(String authorization) {
    return MultiMap.caseInsensitiveMultiMap().add("Authorization", authorization);
  }

  private List<ConsumerRecord<String, byte[]>> records(int count) {
    return KafkaTestBroker.awaitRecords(gw.inbound, r -> true, count, Duration.ofSeconds(20));
  }
}
