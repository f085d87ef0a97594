package io.wxgateway.bridge;

import static io.wxgateway.common.testing.Records.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.wxgateway.common.ConnectionId;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.BusCodecs;
import io.wxgateway.common.bus.Delivery;
import io.wxgateway.common.bus.DeliveryResult;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.bus.ReplayAnswer;
import io.wxgateway.common.bus.ReplayRequest;
import io.wxgateway.common.options.BridgeOptions;
import io.wxgateway.common.options.KafkaOptions;
import io.wxgateway.common.testing.KafkaTestBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's side of resumable sessions (docs/sessions.md): pushes a gateway node answers held are
 * neither delivered nor dead-lettered until a replay releases them or their session expires; replay
 * requests are answered from the history, also after a bridge restart, and say when it does not
 * reach back far enough. Real broker and event bus; the gateway node is stood in for.
 */
class SessionReplayTest {

  private final Vertx vertx = Vertx.vertx();
  private final String outbound = KafkaTestBroker.uniqueTopic("wx.outbound");
  private final String dlq = KafkaTestBroker.uniqueTopic("wx.undelivered");
  private final String group = KafkaTestBroker.uniqueTopic("bridge");
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final String suspended = ConnectionId.generate("gw-a").value();
  private final String live = ConnectionId.generate("gw-a").value();
  /** How long from its answer a hold lasts: set per test. */
  private final AtomicLong holdMs = new AtomicLong(60_000);
  private final List<BridgeNode> bridges = new ArrayList<>();

  @BeforeEach
  void start() {
    KafkaTestBroker.createTopics(1, dlq);
    BusCodecs.register(vertx);
    StandInNode.register(vertx, "gw-a", this::answer);
    new Presence(vertx).add("ann", "gw-a").await();
    new Presence(vertx).add("bob", "gw-a").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** c(suspended) and ann: held for s1; bob: on a socket and held for s2; the live connection: delivered. */
  private DeliveryResult answer(Delivery d) {
    long until = System.currentTimeMillis() + holdMs.get();
    if (d.target().equals(suspended) || d.target().equals("ann")) {
      return DeliveryResult.held("s1", until);
    }
    if (d.target().equals("bob")) {
      return new DeliveryResult(1, null, null, List.of("s2"), until);
    }
    return DeliveryResult.delivered(1);
  }

  private BridgeNode bridge(BridgeOptions options) {
    KafkaOptions kafka = new KafkaOptions().setBootstrapServers(KafkaTestBroker.bootstrapServers())
        .setOutboundTopic(outbound).setDeadLetterTopic(dlq);
    BridgeNode bridge = new BridgeNode(options.setGroupId(group).setDeliveryTimeoutMs(2_000), kafka, meters);
    bridge.deploy(vertx).await();
    bridges.add(bridge);
    return bridge;
  }

  private ProducerRecord<String, byte[]> push(int partition, String header, String target, String body) {
    RecordHeaders h = new RecordHeaders();
    h.add(header, target.getBytes(StandardCharsets.UTF_8));
    h.add("ce_id", ("id-" + body).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(outbound, partition, "k-" + body, body.getBytes(StandardCharsets.UTF_8), h);
  }

  /** Publishes the request and collects the answers of {@code bridgeCount} bridges. */
  private List<ReplayAnswer> replay(Map<Integer, Long> acked, long sinceMs, int bridgeCount, String... targets) {
    String replyTo = "test.replay." + UUID.randomUUID();
    List<ReplayAnswer> answers = new CopyOnWriteArrayList<>();
    vertx.eventBus().<ReplayAnswer>consumer(replyTo, m -> answers.add(m.body())).completion().await();
    vertx.eventBus().publish(BusAddresses.REPLAY, new ReplayRequest(UUID.randomUUID().toString(), "s1", replyTo,
        List.of(targets), acked, sinceMs));
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> answers.size() >= bridgeCount);
    return answers;
  }

  private static List<String> bodies(ReplayAnswer answer) {
    return answer.pushes().stream().map(d -> d.payload().toString(StandardCharsets.UTF_8)).toList();
  }

  private double count(String meter, String... tags) {
    var search = meters.find(meter);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    return search.counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void heldPushesAreReplayedInOrderAndNeverDeadLetteredAfterTheReplay() throws Exception {
    KafkaTestBroker.createTopics(1, outbound);
    holdMs.set(1_500);
    bridge(new BridgeOptions().setHeldGraceMs(0));
    KafkaTestBroker.sendAll(List.of(push(0, "ce_connectionid", suspended, "one"),
        push(0, "ce_userid", "ann", "two"), push(0, "ce_connectionid", live, "other"),
        push(0, "ce_connectionid", suspended, "three")));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 4);
    assertEquals(3, count("wx.bridge.held.records"), "the held records are accounted for, so committed");
    assertEquals(1, count("wx.outbound.delivered"));
    // since far ahead: only what is held for s1 is wanted
    long since = System.currentTimeMillis() + 600_000;
    ReplayAnswer answer = replay(Map.of(), since, 1, ReplayRequest.connection(suspended),
        ReplayRequest.user("ann")).get(0);
    assertEquals(List.of("one", "two", "three"), bodies(answer));
    assertEquals(List.of("0:0", "0:1", "0:3"), answer.pushes().stream().map(Delivery::position).toList());
    assertTrue(answer.complete(), answer.detail());
    assertEquals(List.of(0), answer.partitions());
    assertEquals(1, answer.partitionCount());
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> count("wx.outbound.delivered") == 4);
    assertEquals(3, count("wx.bridge.held.released"));
    // past the hold's expiry: released pushes are never dead-lettered
    Awaitility.await().during(3, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS)
        .until(() -> count("wx.dead.letters") == 0);
  }

  @Test
  void anExpiredHoldIsDeadLetteredSessionExpiredOncePerRecordWithTheOriginal() throws Exception {
    KafkaTestBroker.createTopics(1, outbound);
    holdMs.set(300);
    bridge(new BridgeOptions().setHeldGraceMs(200));
    KafkaTestBroker.sendAll(List.of(push(0, "ce_connectionid", suspended, "one"),
        push(0, "ce_userid", "bob", "on-a-socket"), push(0, "ce_userid", "ann", "two")));
    List<ConsumerRecord<String, byte[]>> letters = KafkaTestBroker.awaitRecords(dlq, r -> true, 2,
        Duration.ofSeconds(30));
    assertEquals(List.of("k-one", "k-two"), letters.stream().map(ConsumerRecord::key).toList());
    for (ConsumerRecord<String, byte[]> letter : letters) {
      assertEquals("session-expired", header(letter, "ce_deliveryerror"));
      assertTrue(header(letter, "ce_deliverydetail").contains("s1"), header(letter, "ce_deliverydetail"));
      assertEquals("id-" + letter.key().substring(2), header(letter, "ce_id"), "original headers kept");
      assertArrayEquals(letter.key().substring(2).getBytes(StandardCharsets.UTF_8), letter.value());
    }
    assertNull(header(letters.get(0), "ce_userid"));
    Awaitility.await().during(1500, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
        .until(() -> count("wx.dead.letters", "reason", "session-expired") == 2);
    assertEquals(1, count("wx.outbound.delivered"), "the push that reached a socket counts as delivered");
    assertEquals(2, KafkaTestBroker.awaitRecords(dlq, r -> true, 2, Duration.ofSeconds(10)).size());
  }

  @Test
  void aBridgeStartedInTheSameGroupStillAnswersWithThePushesTheFirstConsumed() throws Exception {
    KafkaTestBroker.createTopics(1, outbound);
    BridgeNode first = bridge(new BridgeOptions());
    KafkaTestBroker.sendAll(List.of(push(0, "ce_connectionid", live, "a"), push(0, "ce_connectionid", live, "b"),
        push(0, "ce_connectionid", live, "c")));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 3);
    first.undeploy().await();
    bridge(new BridgeOptions());
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> {
      ReplayAnswer a = replay(Map.of(0, 0L), 0, 1, ReplayRequest.connection(live)).get(0);
      return a.partitions().equals(List.of(0)) && a.complete() && bodies(a).equals(List.of("b", "c"));
    });
  }

  @Test
  void withoutRebuildABridgeStartedInTheSameGroupSaysItsHistoryDoesNotReachBack() throws Exception {
    KafkaTestBroker.createTopics(1, outbound);
    BridgeNode first = bridge(new BridgeOptions().setHistoryRebuild(false));
    KafkaTestBroker.sendAll(List.of(push(0, "ce_connectionid", live, "a"), push(0, "ce_connectionid", live, "b")));
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 2);
    first.undeploy().await();
    bridge(new BridgeOptions().setHistoryRebuild(false));
    Awaitility.await().atMost(30, TimeUnit.SECONDS)
        .until(() -> replay(Map.of(0, 0L), 0, 1, ReplayRequest.connection(live)).get(0).partitions().equals(List.of(0)));
    ReplayAnswer answer = replay(Map.of(0, 0L), 0, 1, ReplayRequest.connection(live)).get(0);
    assertFalse(answer.complete(), "the pushes the first bridge consumed are not in this one's memory");
    assertEquals(List.of(), bodies(answer));
  }

  @Test
  void aReplayFromAnEvictedOffsetSaysIncomplete() throws Exception {
    KafkaTestBroker.createTopics(1, outbound);
    bridge(new BridgeOptions().setHistoryMaxBytes(2 * (HistoryEntry.OVERHEAD_BYTES + 120)).setHistoryRebuild(false));
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(push(0, "ce_connectionid", live, "m" + i));
    }
    KafkaTestBroker.sendAll(records);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> KafkaTestBroker.committed(group) == 6);
    ReplayAnswer answer = replay(Map.of(0, 0L), 0, 1, ReplayRequest.connection(live)).get(0);
    assertFalse(answer.complete());
    assertTrue(answer.detail().contains("partition 0"), answer.detail());
    assertEquals(List.of("m4", "m5"), bodies(answer), "what is still there is replayed");
    assertTrue(count("wx.bridge.history.evicted", "cause", "bytes") >= 4);
  }

  @Test
  void answersCoverExactlyThePartitionsEachBridgeOwns() throws Exception {
    KafkaTestBroker.createTopics(3, outbound);
    bridge(new BridgeOptions());
    Awaitility.await().atMost(30, TimeUnit.SECONDS)
        .until(() -> replay(Map.of(), 0, 1).get(0).partitions().equals(List.of(0, 1, 2)));
    bridge(new BridgeOptions());
    // while the group rebalances, both may answer for no partition: wait until they share all three
    Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> {
      List<ReplayAnswer> answers = replay(Map.of(), System.currentTimeMillis() - 60_000, 2);
      List<Integer> all = new ArrayList<>();
      answers.forEach(a -> all.addAll(a.partitions()));
      all.sort(null);
      return answers.size() == 2 && all.equals(List.of(0, 1, 2)) && answers.stream().allMatch(a ->
          a.partitionCount() == 3 && !a.partitions().isEmpty() && a.complete());
    });
  }
}
