package io.wxgateway.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ids a session socket keeps for its next socket: the last {@value MessageConfirms#RECENT} confirmed, no more. */
class MessageConfirmsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void keepsTheLastConfirmedIdsOncePlusThoseSeededByAResume() {
    Context loop = vertx.getOrCreateContext();
    MessageConfirms confirms = new MessageConfirms(loop, frame -> true);
    Future.<Void>future(p -> loop.runOnContext(v -> { // event loop only, as on a socket
      confirms.seed(List.of("old.1", "old.2"));
      IntStream.rangeClosed(1, MessageConfirms.RECENT - 1).forEach(i -> confirms.add("m." + i));
      confirms.add("m.1"); // confirmed twice: kept once
      p.complete();
    })).await();
    assertTrue(confirms.knows("old.2"));
    assertFalse(confirms.knows("old.1"), "the oldest went to make room");
    assertEquals(MessageConfirms.RECENT, confirms.recent().size());
    assertEquals("old.2", confirms.recent().get(0));
    assertEquals("m." + (MessageConfirms.RECENT - 1), confirms.recent().get(MessageConfirms.RECENT - 1));
  }
}
