package io.wxgateway.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The admin protocol's records survive the clustered wire form and pass locally by reference. */
class AdminCodecsTest {

  private final AdminCodecs.RequestCodec requests = new AdminCodecs.RequestCodec();
  private final AdminCodecs.AnswerCodec answers = new AdminCodecs.AnswerCodec();

  @Test
  void everyRequestRoundTripsOverTheWire() {
    for (AdminRequest request : List.of(
        AdminRequest.list("用户", "wx0123456789abcdef", 1100),
        AdminRequest.list(null, null, AdminRequest.NO_LIMIT),
        AdminRequest.get("gw-a.abc"),
        AdminRequest.closeConnection("gw-a.abc", 4100, "再见"),
        AdminRequest.closeUser("u", AdminRequest.DEFAULT_CLOSE_CODE, null),
        AdminRequest.stats())) {
      Buffer wire = Buffer.buffer("prefix");
      requests.encodeToWire(wire, request);
      assertEquals(request, requests.decodeFromWire(6, wire));
    }
  }

  @Test
  void everyAnswerRoundTripsOverTheWire() {
    JsonObject socket = new JsonObject().put("connectionId", "gw-a.abc").put("node", "gw-a").put("openedAt", 17L)
        .put("headers", new JsonObject().put("x-trace", "t")).put("subprotocols", new JsonArray().add("wx.v1"));
    for (AdminAnswer answer : List.of(
        AdminAnswer.listing(7, List.of(socket, new JsonObject().put("connectionId", "gw-a.def"))),
        AdminAnswer.listing(0, List.of()),
        AdminAnswer.connection(socket),
        AdminAnswer.closed(3),
        AdminAnswer.stats(new JsonObject().put("node", "gw-a").put("sockets", 2).put("draining", false)))) {
      Buffer wire = Buffer.buffer("xy");
      answers.encodeToWire(wire, answer);
      AdminAnswer back = answers.decodeFromWire(2, wire);
      assertEquals(answer, back);
      if (answer.stats() != null) {
        assertEquals(answer.stats().encode(), back.stats().encode(), "field order survives, as the HTTP API shows it");
      }
    }
    assertNull(roundTrip(AdminAnswer.closed(1)).stats());
  }

  @Test
  void registeredAsDefaultsAndPassedLocallyByReference() {
    Vertx vertx = Vertx.vertx();
    try {
      BusCodecs.register(vertx);
      BusCodecs.register(vertx); // idempotent, as every verticle calls it
      AdminAnswer answer = AdminAnswer.closed(2);
      vertx.eventBus().<AdminRequest>consumer("admin-test", m -> m.reply(answer));
      AdminRequest request = AdminRequest.stats();
      assertSame(answer, vertx.eventBus().<AdminAnswer>request("admin-test", request).await().body());
    } finally {
      vertx.close().await();
    }
  }

  private AdminAnswer roundTrip(AdminAnswer answer) {
    Buffer wire = Buffer.buffer();
    answers.encodeToWire(wire, answer);
    return answers.decodeFromWire(0, wire);
  }
}
