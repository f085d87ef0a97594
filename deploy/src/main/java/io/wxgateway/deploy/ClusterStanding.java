package io.wxgateway.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.query.Predicates;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.bus.Presence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node is in the cluster, and what follows when that changes. Every membership change
 * is weighed by the {@link ClusterQuorum}:
 *
 * <ul>
 *   <li>losing the quorum (alone after a pause, the minority of a partition) makes the node <em>lost</em>
 *       at once: not ready, and {@link ClusterMembers#LOST_ADDRESS} announced, so its gateway sheds
 *       its sockets; it prunes nothing;</li>
 *   <li>regaining it (Hazelcast merged this side back, after at most about
 *       {@code cluster.mergeNextRunDelaySeconds}), or any split-brain merge, announces
 *       {@link ClusterMembers#REJOINED_ADDRESS} with the users the presence map lists for this node,
 *       so the gateway writes its directory entry and their presence again from its registry;</li>
 *   <li>on the oldest member of a side that holds the quorum, once the view has been stable for
 *       the settle time, the {@link DepartedMembers} are pruned (and every 30 s a sweep repeats it).</li>
 * </ul>
 *
 * <p>A node that stops cleanly first announces it ({@link #announceLeaving}), so its departure does
 * not count against the quorum. Membership events are handled on one Vert.x context, in order.
 */
final class ClusterStanding {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterStanding.class);

  /** Vert.x node id -> gateway node id of members that announced a clean stop (entries expire). */
  static final String LEAVING_MAP = "wx.cluster.leaving";
  static final long SWEEP_INTERVAL_MS = 30_000;
  private static final long TICK_MS = 1_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final boolean gateway;
  private final ClusterQuorum quorum;
  private final DepartedMembers departed;
  private final Context context;
  private final long memberTimeoutMs;
  private final PauseWatch pauseWatch;
  private volatile long suspectUntilNanos = System.nanoTime();
  private volatile boolean merging;
  private volatile boolean lost;
  private volatile long lostAtMs;
  private long lastSweepNanos = System.nanoTime();
  private long timer = -1;

  ClusterStanding(Vertx vertx, HazelcastInstance hazelcast, String nodeId, boolean gateway, long memberTimeoutMs,
      long heartbeatMs) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.gateway = gateway;
    this.memberTimeoutMs = memberTimeoutMs;
    this.quorum = new ClusterQuorum(view(), memberTimeoutMs, System.nanoTime());
    // Frozen past the member timeout: the others removed this member; not ready until its own view
    // says so (then it is lost) or, should every member have been frozen, for one more timeout.
    this.pauseWatch = new PauseWatch(nodeId, memberTimeoutMs, gapMs -> {
      suspectUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(memberTimeoutMs + heartbeatMs);
      LOG.warn("node {} did not run for {} ms (past the member timeout, {} ms): not ready until its cluster "
          + "membership is clear", nodeId, gapMs, memberTimeoutMs);
    });
    this.departed = new DepartedMembers(vertx, hazelcast);
    this.context = vertx.getOrCreateContext();
  }

  void start() {
    leavingMap().addEntryListener((EntryAddedListener<String, String>) e -> quorum.leaving(e.getKey()), false);
    timer = vertx.setPeriodic(TICK_MS, t -> context.runOnContext(v -> settle()));
    pauseWatch.start();
  }

  void stop() {
    vertx.cancelTimer(timer);
    pauseWatch.stop();
  }

  /** A member joined or left (Hazelcast's event thread). */
  void membershipChanged() {
    context.runOnContext(v -> weigh(false));
  }

  /** Hazelcast's lifecycle (its own thread). */
  void lifecycle(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGING -> merging = true;
      case MERGED -> {
        merging = false;
        context.runOnContext(v -> weigh(true));
      }
      default -> { }
    }
  }

  /** Tells the other members that this one stops on purpose; bounded, best effort. Blocks. */
  void announceLeaving() {
    try {
      leavingMap().setAsync(ClusterMembers.localId(vertx), nodeId, 5, TimeUnit.MINUTES)
          .toCompletableFuture().get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("announcing the clean stop of {}: {}", nodeId, e.toString());
    }
  }

  boolean isJoined() {
    return !lost && !merging && System.nanoTime() - suspectUntilNanos >= 0 && hazelcast.getLifecycleService().isRunning();
  }

  JsonObject health() {
    JsonObject json = new JsonObject().put("joined", isJoined()).put("quorum", !lost)
        .put("paused", System.nanoTime() - suspectUntilNanos < 0)
        .put("members", quorum.currentSize()).put("agreedMembers", quorum.agreedSize());
    if (lost) {
      json.put("lostForMs", System.currentTimeMillis() - lostAtMs);
    }
    return json;
  }

  private void weigh(boolean merged) {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    quorum.viewChanged(view(), System.nanoTime());
    boolean holds = quorum.holds();
    if (!holds && !lost) {
      lost = true; // not ready at once; shed once the departures are known not to be clean stops
      lostAtMs = System.currentTimeMillis();
      vertx.executeBlocking(this::readLeaving, false).onComplete(ar -> context.runOnContext(v -> confirmLoss()));
    } else if (holds && (lost || merged) && !merging) {
      String after = lost ? " after " + (System.currentTimeMillis() - lostAtMs) + " ms out" : " after a split-brain merge";
      lost = false;
      LOG.warn("node {} is back in the cluster{} ({} member(s)): re-registering its gateway and users", nodeId, after,
          quorum.currentSize());
      announceRejoined();
    }
  }

  /** Learns of clean stops whose announcement may not have arrived yet; bounded. */
  private Void readLeaving() throws Exception {
    CompletableFuture.supplyAsync(() -> leavingMap().keySet()).get(2, TimeUnit.SECONDS).forEach(quorum::leaving);
    return null;
  }

  private void confirmLoss() {
    if (!lost) {
      return;
    }
    if (quorum.holds()) {
      lost = false;
      LOG.info("node {}: the member(s) that left stopped cleanly; it still holds the quorum", nodeId);
      return;
    }
    LOG.warn("node {} lost the cluster: it sees {} of the {} member(s) last agreed on; not ready, prunes nothing, "
        + "its sockets are shed until it is merged back", nodeId, quorum.currentSize(), quorum.agreedSize());
    vertx.eventBus().publish(ClusterMembers.LOST_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
  }

  private void announceRejoined() {
    vertx.executeBlocking(this::usersListedHere, false)
        .otherwise(e -> {
          LOG.warn("could not list the users the presence map names for node {}: {}", nodeId, e.toString());
          return new JsonArray();
        })
        .onSuccess(users -> vertx.eventBus().publish(ClusterMembers.REJOINED_ADDRESS, users,
            new DeliveryOptions().setLocalOnly(true)));
  }

  /** Users the presence map lists for this gateway node: some may be stale (closed while it was out). */
  private JsonArray usersListedHere() {
    JsonArray users = new JsonArray();
    if (gateway) {
      IMap<String, String> presence = hazelcast.getMap(Presence.MAP_NAME);
      presence.entrySet(Predicates.like("this", Presence.likeNode(nodeId))).forEach(e -> {
        if (Presence.nodeIds(e.getValue()).contains(nodeId)) {
          users.add(e.getKey());
        }
      });
    }
    return users;
  }

  private void settle() {
    if (lost || merging || !hazelcast.getLifecycleService().isRunning()) {
      return;
    }
    Set<String> gone = quorum.settle(System.nanoTime());
    boolean sweepDue = System.nanoTime() - lastSweepNanos > TimeUnit.MILLISECONDS.toNanos(SWEEP_INTERVAL_MS);
    if (gone != null && (!gone.isEmpty() || sweepDue) && isOldest()) {
      lastSweepNanos = System.nanoTime();
      departed.sweep(gone);
    }
  }

  private boolean isOldest() {
    try {
      return hazelcast.getCluster().getMembers().iterator().next().localMember();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The Vert.x node ids of the members this node sees, oldest first. */
  private List<String> view() {
    List<String> ids = new ArrayList<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String id = member.getAttribute(ClusterSetup.VERTX_NODE_ID_ATTRIBUTE);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  private IMap<String, String> leavingMap() {
    return hazelcast.getMap(LEAVING_MAP);
  }
}
