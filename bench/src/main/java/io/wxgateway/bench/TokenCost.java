package io.wxgateway.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.metrics.WxMeter;
import io.wxgateway.common.options.AuthOptions;
import io.wxgateway.gateway.auth.Hs256Tokens;
import io.wxgateway.gateway.auth.JwtVerifier;

/**
 * CPU a handshake's token costs the gateway, by algorithm, checked every time and remembered
 * ({@code gateway.auth.verifiedTokens}): distinct users' tokens verified round after round on one
 * thread, as an event loop verifies them, with the thread's own CPU clock. The storm shows the same
 * thing end to end, through the noise of a shared machine; this shows it per token.
 *
 * <p>{@code java -cp "bench/target/lib/*:bench/target/classes" io.wxgateway.bench.TokenCost [tokens] [rounds]}
 */
public final class TokenCost {

  private TokenCost() {
  }

  public static void main(String[] args) {
    int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    for (Row row : measure(tokens, rounds)) {
      System.out.printf("%s, %s: %.2f us CPU a token (last of %d rounds of %,d tokens; checked %,d, remembered %,d)%n",
          row.algorithm(), row.remembered() ? "remembered" : "checked every time", row.cpuMicros(), rounds, tokens,
          row.checked(), row.fromMemory());
    }
    Heap heap = heapPerToken(10_000);
    System.out.printf("heap a remembered token: %.0f B, token and entry (%,d HS256 tokens of %d characters, after GC)%n",
        heap.bytesPerToken(), heap.tokens(), heap.tokenLength());
  }

  /** Heap the cache holds for each token it remembers: the token's characters, the map entry and the identity. */
  record Heap(int tokens, int tokenLength, double bytesPerToken) {
  }

  /**
   * Verifies {@code tokens} tokens that nothing but the verifier keeps, as a node's handshakes leave
   * them, and divides the heap in use after GC by them. A claim pads each token to about 300
   * characters, the length of a login token with an openid and a session in it.
   */
  static Heap heapPerToken(int tokens) {
    Jwt jwt = Jwt.of("HS256");
    JwtVerifier verifier = new JwtVerifier(jwt.authOptions().setVerifiedTokens(tokens),
        WxMeter.AUTH_TOKENS.counter(new SimpleMeterRegistry(), "checked"),
        WxMeter.AUTH_TOKENS.counter(new SimpleMeterRegistry(), "remembered"));
    String padding = "p".repeat(140);
    long exp = System.currentTimeMillis() / 1000 + 86_400;
    long before = heapAfterGc();
    int length = 0;
    for (int i = 0; i < tokens; i++) {
      String token = Hs256Tokens.sign(new JsonObject().put("sub", "user-" + i).put("exp", exp).put("session", padding),
          Jwt.SECRET);
      length = token.length();
      Throwable refused = verifier.verify(token).cause();
      if (refused != null) {
        throw new IllegalStateException("HS256 token refused: " + refused);
      }
    }
    long after = heapAfterGc();
    return new Heap(tokens, length, (after - before) / (double) tokens);
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * The last round's CPU a token; {@code checked} and {@code fromMemory} count the tokens the verifier
   * accepted over all rounds after the checks and from memory.
   */
  record Row(String algorithm, boolean remembered, double cpuMicros, long checked, long fromMemory) {
  }

  /** {@code rounds} must be at least 2: the first round is where every token is checked and remembered. */
  static List<Row> measure(int tokens, int rounds) {
    if (tokens < 1 || rounds < 2) {
      throw new IllegalArgumentException("TokenCost needs at least 1 token and 2 rounds, not " + tokens + " and " + rounds);
    }
    List<Row> rows = new ArrayList<>();
    for (String algorithm : List.of("HS256", "RS256", "ES256")) {
      Jwt jwt = Jwt.of(algorithm);
      String[] signed = new String[tokens];
      for (int i = 0; i < tokens; i++) {
        signed[i] = jwt.sign("u" + i, 86_400);
      }
      for (boolean remembered : List.of(false, true)) {
        rows.add(measure(jwt, signed, remembered, rounds));
      }
    }
    return rows;
  }

  private static Row measure(Jwt jwt, String[] signed, boolean remembered, int rounds) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Counter checked = WxMeter.AUTH_TOKENS.counter(registry, "checked");
    Counter fromMemory = WxMeter.AUTH_TOKENS.counter(registry, "remembered");
    AuthOptions options = jwt.authOptions().setVerifiedTokens(remembered ? signed.length : 0);
    JwtVerifier verifier = new JwtVerifier(options, checked, fromMemory);
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpu = 0;
    for (int round = 0; round < rounds; round++) {
      long start = threads.getCurrentThreadCpuTime();
      for (String token : signed) {
        Throwable refused = verifier.verify(token).cause();
        if (refused != null) {
          throw new IllegalStateException(jwt.algorithm + " token refused: " + refused);
        }
      }
      cpu = threads.getCurrentThreadCpuTime() - start;
    }
    return new Row(jwt.algorithm, remembered, cpu / 1e3 / signed.length, (long) checked.count(), (long) fromMemory.count());
  }
}
