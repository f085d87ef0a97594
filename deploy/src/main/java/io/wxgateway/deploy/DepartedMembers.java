package io.wxgateway.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.BusAddresses;
import io.wxgateway.common.bus.ClusterMembers;
import io.wxgateway.common.bus.NodeDirectory;
import io.wxgateway.common.bus.Presence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what departed members left in the routing maps: their tokens from the {@link Presence}
 * map (an entry processor runs on the map's partitions, where the data lives), then their gateway
 * nodes from the {@link NodeDirectory}. Only ever asked to by {@link ClusterStanding}, on the oldest
 * member of a side that holds the quorum, once the view has settled; a member that is live again by
 * then (it merged back) is left alone.
 */
final class DepartedMembers {

  private static final Logger LOG = LoggerFactory.getLogger(DepartedMembers.class);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;

  DepartedMembers(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  /** Cleans up after {@code departed} and after every member the directory still names but that is gone. */
  Future<Void> sweep(Set<String> departed) {
    return new NodeDirectory(vertx).members().compose(entries -> {
      Set<String> dead = new HashSet<>();
      departed.stream().filter(m -> !ClusterMembers.isLive(vertx, m)).forEach(dead::add);
      entries.values().stream().filter(m -> !ClusterMembers.isLive(vertx, m)).forEach(dead::add);
      return dead.isEmpty() ? Future.<Void>succeededFuture() : cleanUp(dead);
    }).onFailure(e -> LOG.debug("directory sweep failed: {}", e.toString()));
  }

  /** Removes the departed members' tokens from the presence map, then their gateway nodes from the directory. */
  Future<Void> cleanUp(Set<String> deadMembers) {
    return vertx.<Integer>executeBlocking(() -> prunePresence(deadMembers), false)
        .compose(pruned -> new NodeDirectory(vertx).members().compose(entries -> {
          List<Future<Boolean>> removals = new ArrayList<>();
          List<String> gatewayIds = new ArrayList<>();
          entries.forEach((gatewayId, memberId) -> {
            if (deadMembers.contains(memberId)) {
              gatewayIds.add(gatewayId);
              removals.add(new NodeDirectory(vertx).unregister(gatewayId, memberId));
            }
          });
          return Future.all(removals).map(v -> {
            LOG.info("departed member(s) {}: gateway node(s) {} left the directory, {} user(s)' presence pruned",
                deadMembers, gatewayIds, pruned);
            announce(gatewayIds, entries, deadMembers);
            return (Void) null;
          });
        }))
        .onFailure(e -> LOG.warn("clean-up after departed member(s) {} failed: {}; the sweep will retry",
            deadMembers, e.toString()));
  }

  /**
   * Tells the gateway nodes which of them departed and which live one adopts their sessions: the
   * lowest id, so every sweep of the same view names the same node.
   */
  private void announce(List<String> departed, Map<String, String> directory, Set<String> deadMembers) {
    if (departed.isEmpty()) {
      return;
    }
    directory.entrySet().stream().filter(e -> !deadMembers.contains(e.getValue())).map(Map.Entry::getKey)
        .min(String::compareTo).ifPresentOrElse(adopter -> vertx.eventBus().publish(BusAddresses.GATEWAYS_DEPARTED,
            new JsonObject().put("departed", new JsonArray(departed)).put("adopter", adopter)),
            () -> LOG.warn("gateway node(s) {} departed and no gateway node is left to end their sessions", departed));
  }

  private int prunePresence(Set<String> deadMembers) {
    if (deadMembers.isEmpty()) {
      return 0;
    }
    IMap<String, String> presence = hazelcast.getMap(Presence.MAP_NAME);
    Predicate<String, String> any = null;
    for (String member : deadMembers) {
      Predicate<String, String> match = Predicates.like("this", Presence.likeMember(member));
      any = any == null ? match : Predicates.or(any, match);
    }
    Map<String, Boolean> touched = presence.executeOnEntries(new PruneMembers(deadMembers), any);
    return (int) touched.values().stream().filter(Boolean::booleanValue).count();
  }

  /**
   * Removes the tokens of departed members from presence values, deleting entries left empty. Runs
   * on the partition owning each entry (and, the same way, on its backups).
   */
  static final class PruneMembers implements EntryProcessor<String, String, Boolean> {
    private static final long serialVersionUID = 1L;
    private final HashSet<String> deadMembers;

    PruneMembers(Collection<String> deadMembers) {
      this.deadMembers = new HashSet<>(deadMembers);
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      String value = entry.getValue();
      if (value == null) {
        return false;
      }
      String pruned = Presence.withoutMembers(value, deadMembers);
      if (pruned != null && pruned.equals(value)) {
        return false;
      }
      entry.setValue(pruned); // null removes the entry
      return true;
    }
  }
}
