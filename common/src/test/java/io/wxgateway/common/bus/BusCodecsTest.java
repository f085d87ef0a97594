package io.wxgateway.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.contract.DeliveryError;
import org.junit.jupiter.api.Test;

class BusCodecsTest {

  @Test
  void deliveryRoundTripsOverTheWire() {
    Delivery d = new Delivery(Delivery.Action.CLOSE, Delivery.TargetKind.USER, "用户", Buffer.buffer("p"),
        4001, "过期", "id-1", 1234L);
    BusCodecs.DeliveryCodec codec = new BusCodecs.DeliveryCodec();
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, d);
    Delivery back = codec.decodeFromWire(6, wire);
    assertEquals(d.action(), back.action());
    assertEquals(d.targetKind(), back.targetKind());
    assertEquals(d.target(), back.target());
    assertEquals("p", back.payload().toString());
    assertEquals(4001, back.closeCode());
    assertEquals("过期", back.closeReason());
    assertEquals("id-1", back.recordId());
    assertEquals(1234L, back.createdAt());
  }

  @Test
  void broadcastWithoutFilterAndResultsRoundTrip() {
    Delivery d = new Delivery(Delivery.Action.SEND_BINARY, Delivery.TargetKind.ALL, null, Buffer.buffer(new byte[] {1}),
        0, null, null, 0L);
    BusCodecs.DeliveryCodec codec = new BusCodecs.DeliveryCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, d);
    assertEquals(null, codec.decodeFromWire(0, wire).target());

    BusCodecs.ResultCodec results = new BusCodecs.ResultCodec();
    Buffer r = Buffer.buffer();
    results.encodeToWire(r, DeliveryResult.failed(DeliveryError.CONNECTION_NOT_FOUND, "gone"));
    DeliveryResult back = results.decodeFromWire(0, r);
    assertEquals(DeliveryError.CONNECTION_NOT_FOUND, back.error());
    assertEquals("gone", back.detail());
  }

  @Test
  void batchesAndTheirResultsRoundTripInOrder() {
    Delivery first = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, "gw-a.x",
        Buffer.buffer("one"), 0, null, "r-1", 1L);
    Delivery second = new Delivery(Delivery.Action.CLOSE, Delivery.TargetKind.USER, "u", Buffer.buffer(),
        4003, "kicked", null, 2L);
    BusCodecs.BatchCodec codec = new BusCodecs.BatchCodec();
    Buffer wire = Buffer.buffer("xy");
    codec.encodeToWire(wire, new DeliveryBatch(java.util.List.of(first, second)));
    DeliveryBatch back = codec.decodeFromWire(2, wire);
    assertEquals(2, back.deliveries().size());
    assertEquals("one", back.deliveries().get(0).payload().toString());
    assertEquals("r-1", back.deliveries().get(0).recordId());
    assertEquals(4003, back.deliveries().get(1).closeCode());
    assertEquals("kicked", back.deliveries().get(1).closeReason());

    BusCodecs.ResultsCodec results = new BusCodecs.ResultsCodec();
    Buffer r = Buffer.buffer();
    results.encodeToWire(r, new DeliveryResults(java.util.List.of(DeliveryResult.delivered(3),
        DeliveryResult.failed(DeliveryError.CLIENT_TOO_SLOW, "full"))));
    DeliveryResults rb = results.decodeFromWire(0, r);
    assertEquals(3, rb.results().get(0).delivered());
    assertEquals(DeliveryError.CLIENT_TOO_SLOW, rb.results().get(1).error());
    assertEquals("full", rb.results().get(1).detail());
  }

  @Test
  void aBatchsDeadlineAndAnAnswersClockRoundTripAndThePreviousFormatStillReads() {
    Delivery d = new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.CONNECTION, "gw-a.x",
        Buffer.buffer("one"), 0, null, null, 1L);
    BusCodecs.BatchCodec codec = new BusCodecs.BatchCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new DeliveryBatch(java.util.List.of(d), 4_000, 77, -5));
    DeliveryBatch back = codec.decodeFromWire(0, wire);
    assertEquals(4_000, back.budgetMs());
    assertEquals(77, back.clockId());
    assertEquals(-5, back.deadlineNanos());
    DeliveryBatch old = codec.decodeFromWire(0, wire.getBuffer(0, wire.length() - 3 * Long.BYTES));
    assertEquals(DeliveryBatch.NO_DEADLINE, old.deadlineHere(System.nanoTime()), "a previous bridge's batch");

    BusCodecs.ResultsCodec results = new BusCodecs.ResultsCodec();
    Buffer r = Buffer.buffer();
    results.encodeToWire(r, new DeliveryResults(java.util.List.of(DeliveryResult.delivered(1)), 9, 123));
    DeliveryResults rb = results.decodeFromWire(0, r);
    assertEquals(9, rb.clockId());
    assertEquals(123, rb.nodeNanos());
    int holdsAndMoves = (Integer.BYTES + Long.BYTES) + Integer.BYTES; // one result's: no hold, no move
    assertEquals(0, results.decodeFromWire(0, r.getBuffer(0, r.length() - holdsAndMoves - 2 * Long.BYTES)).clockId());
  }

  @Test
  void aDeadlineIsInTheNodesOwnClockOnlyWhenTheBatchNamesThatClock() {
    long now = System.nanoTime();
    java.util.List<Delivery> none = java.util.List.of(new Delivery(Delivery.Action.SEND_TEXT,
        Delivery.TargetKind.ALL, null, Buffer.buffer("x"), 0, null, null, 0));
    assertEquals(now - 1, new DeliveryBatch(none, 1_000, NodeClock.ID, now - 1).deadlineHere(now));
    assertEquals(now + 1_000_000_000L, new DeliveryBatch(none, 1_000, NodeClock.ID + 1, 0).deadlineHere(now),
        "another node's clock: the budget counts from now");
    assertEquals(true, DeliveryBatch.passed(now - 1, now));
    assertEquals(false, DeliveryBatch.passed(DeliveryBatch.NO_DEADLINE, now));
  }
}
