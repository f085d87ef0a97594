package io.wxgateway.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

/** The fan-out waits for every node, keeps their order and hands failures to the caller instead of failing. */
class NodeFanOutTest {

  @Test
  void waitsForEveryNodeAndKeepsAnswersAndFailuresInTheirOrder() {
    Promise<String> slow = Promise.promise();
    Future<Map<String, AsyncResult<String>>> all = NodeFanOut.ask(List.of("gw-b", "gw-a", "gw-c"), node -> switch (node) {
      case "gw-a" -> Future.failedFuture("gw-a is gone");
      case "gw-b" -> slow.future();
      default -> Future.succeededFuture("from " + node);
    });
    assertFalse(all.isComplete(), "still waiting for gw-b");
    slow.complete("from gw-b");

    Map<String, AsyncResult<String>> answers = all.result();
    assertEquals(List.of("gw-b", "gw-a", "gw-c"), List.copyOf(answers.keySet()));
    assertEquals("from gw-b", answers.get("gw-b").result());
    assertTrue(answers.get("gw-a").failed());
    assertEquals("gw-a is gone", answers.get("gw-a").cause().getMessage());
    assertEquals("from gw-c", answers.get("gw-c").result());
  }

  @Test
  void noNodesIsAnEmptyAnswerAtOnce() {
    Future<Map<String, AsyncResult<String>>> none = NodeFanOut.ask(List.of(), node -> {
      throw new AssertionError("asked " + node);
    });
    assertTrue(none.succeeded());
    assertTrue(none.result().isEmpty());
  }
}
