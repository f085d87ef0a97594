package io.wxgateway.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.contract.DeliveryError;
import org.junit.jupiter.api.Test;

/** Positions, holds and replay messages cross a clustered event bus intact, and the previous forms still read. */
class SessionCodecsTest {

  private static Delivery push(int partition, long offset) {
    return new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.USER, "u1", Buffer.buffer("hi " + offset), 0,
        null, "id-" + offset, 1_700_000_000_000L, partition, offset);
  }

  @Test
  void aBatchCarriesEachPositionAndAnOldBatchReadsWithout() {
    BusCodecs.BatchCodec codec = new BusCodecs.BatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new DeliveryBatch(List.of(push(3, 120), push(0, 7)), 4_000, 1, 2));
    DeliveryBatch back = codec.decodeFromWire(0, wire);
    assertEquals("3:120", back.deliveries().get(0).position());
    assertEquals("0:7", back.deliveries().get(1).position());
    DeliveryBatch old = codec.decodeFromWire(0, wire.getBuffer(0, wire.length() - 2 * (Integer.BYTES + Long.BYTES)));
    assertFalse(old.deliveries().get(0).hasPosition());
    assertEquals(4_000, old.budgetMs());
  }

  @Test
  void anAnswerCarriesItsHoldsAndAnOldAnswerReadsWithout() {
    BusCodecs.ResultsCodec codec = new BusCodecs.ResultsCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new DeliveryResults(List.of(DeliveryResult.delivered(1),
        DeliveryResult.held("s1", 99)), 5, 6));
    DeliveryResults back = codec.decodeFromWire(0, wire);
    assertFalse(back.results().get(0).isHeld());
    assertEquals(List.of("s1"), back.results().get(1).heldFor());
    assertEquals(99, back.results().get(1).heldUntil());
    assertEquals(6, back.nodeNanos());
  }

  @Test
  void anAnswerCarriesWhereAResumedSessionMovedAndAnOldAnswerReadsAsNotFound() {
    BusCodecs.ResultsCodec codec = new BusCodecs.ResultsCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new DeliveryResults(List.of(DeliveryResult.moved("gw-1-c1", "gw-2-c9"),
        DeliveryResult.held("s1", 99)), 5, 6));
    DeliveryResults back = codec.decodeFromWire(0, wire);
    assertEquals("gw-2-c9", back.results().get(0).movedTo());
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, back.results().get(0).error());
    assertFalse(back.results().get(1).isMoved());
    assertEquals(List.of("s1"), back.results().get(1).heldFor());
    int movedBytes = (Integer.BYTES + "gw-2-c9".length()) + Integer.BYTES; // one id, one null
    DeliveryResults old = codec.decodeFromWire(0, wire.getBuffer(0, wire.length() - movedBytes));
    assertFalse(old.results().get(0).isMoved(), "a node of the previous version: not found, as before");
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, old.results().get(0).error());
    assertEquals(99, old.results().get(1).heldUntil());
  }

  @Test
  void replayRequestsAndAnswersRoundTrip() {
    ReplayRequest request = new ReplayRequest("r1", "s1", "wx.gateway.n1.replay",
        List.of(ReplayRequest.user("u1"), ReplayRequest.connection("c1")), Map.of(3, 119L), 42);
    Buffer wire = Buffer.buffer();
    new ReplayCodecs.RequestCodec().encodeToWire(wire, request);
    assertEquals(request, new ReplayCodecs.RequestCodec().decodeFromWire(0, wire));

    ReplayAnswer answer = new ReplayAnswer("r1", "b1", 4, List.of(0, 3), true, null, List.of(push(3, 120)));
    Buffer a = Buffer.buffer();
    new ReplayCodecs.AnswerCodec().encodeToWire(a, answer);
    ReplayAnswer back = new ReplayCodecs.AnswerCodec().decodeFromWire(0, a);
    assertEquals(List.of(0, 3), back.partitions());
    assertTrue(back.complete());
    assertEquals("3:120", back.pushes().get(0).position());
    assertEquals("hi 120", back.pushes().get(0).payload().toString());
  }
}
