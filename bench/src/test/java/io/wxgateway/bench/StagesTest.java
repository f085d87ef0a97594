package io.wxgateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The CPU-by-stage breakdown names project classes by their full names: a move must not silently turn them into "other". */
class StagesTest {

  @Test
  void everyProjectClassTheRulesNameExists() {
    List<String> missing = new ArrayList<>();
    List<String> named = Stages.projectClasses();
    for (String name : named) {
      try {
        Class.forName(name, false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(name);
      }
    }
    assertTrue(named.size() > 10, "the rules name the project's classes: " + named);
    assertEquals(List.of(), missing, "classes the stage rules name that do not exist");
  }

  /** Stacks as the fanout profile showed them (innermost first), with the stage each belongs to. */
  @Test
  void aBusValueBuiltOrReadByAStageIsThatStagesAndTheReplayHistoryIsItsOwn() {
    String loop = "vert.x-eventloop-thread-1";
    assertEquals(Stages.DECODE, Stages.ofNames(loop, List.of("io.wxgateway.common.bus.Delivery.<init>",
        "io.wxgateway.common.codec.OutboundRecordDecoder.send", "io.wxgateway.common.codec.OutboundRecordDecoder.decode",
        "io.wxgateway.bridge.BatchProcessor.process")), "a Delivery the decoder builds is decode, not event bus");
    assertEquals(Stages.SOCKET_WRITE, Stages.ofNames(loop, List.of("io.wxgateway.common.bus.DeliveryResult.isHeld",
        "io.wxgateway.gateway.delivery.DeliveryEndpoint.lambda$handleBatch$0")), "the endpoint's accounting");
    assertEquals(Stages.HISTORY, Stages.ofNames(loop, List.of("java.lang.StringConcatHelper.simpleConcat",
        "io.wxgateway.common.bus.ReplayRequest.connection", "io.wxgateway.common.bus.ReplayRequest.key",
        "io.wxgateway.bridge.BatchProcessor.remember", "io.wxgateway.bridge.BatchProcessor.process")));
    assertEquals(Stages.HISTORY, Stages.ofNames(loop, List.of("io.wxgateway.bridge.PartitionHistory.evictOldest",
        "io.wxgateway.bridge.PushHistory.add", "io.wxgateway.bridge.BatchProcessor.remember")));
    assertEquals(Stages.EVENT_BUS, Stages.ofNames(loop, List.of("io.wxgateway.common.bus.BusCodecs.encodeToWire",
        "io.vertx.core.eventbus.impl.clustered.ClusteredEventBus.sendRemote")), "the codecs stay event bus");
    assertEquals(Stages.ROUTE, Stages.ofNames(loop, List.of("io.wxgateway.bridge.DeliveryRouter.route",
        "io.wxgateway.bridge.BatchProcessor.deliver", "io.wxgateway.bridge.BatchProcessor.process")));
    assertTrue(Stages.ALL.contains(Stages.VM) && Stages.ALL.contains(Stages.HISTORY), "both in the report");
  }
}
