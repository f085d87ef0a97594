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
}
