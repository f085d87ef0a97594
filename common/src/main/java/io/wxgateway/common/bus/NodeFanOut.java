package io.wxgateway.common.bus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/**
 * Asks several gateway nodes at once and waits until every one has answered or failed: the fan-out
 * of the admin API and the per-user cap (the bridge's deliveries have a leaner one of their own). What a node's
 * failure means (left out, fatal, a dead letter) is the caller's to decide from the per-node results.
 */
public final class NodeFanOut {

  private NodeFanOut() {
  }

  /**
   * Sends {@code ask} to each of {@code nodes} at once; completes, never failing, when all have
   * completed, with each node's answer or failure in the order of {@code nodes}.
   */
  public static <T> Future<Map<String, AsyncResult<T>>> ask(Collection<String> nodes, Function<String, Future<T>> ask) {
    Map<String, AsyncResult<T>> answers = new LinkedHashMap<>();
    List<Future<T>> pending = new ArrayList<>();
    for (String node : nodes) {
      Future<T> answer = ask.apply(node);
      answers.put(node, answer);
      pending.add(answer);
    }
    return Future.join(pending).transform(ignored -> Future.succeededFuture(Collections.unmodifiableMap(answers)));
  }
}
