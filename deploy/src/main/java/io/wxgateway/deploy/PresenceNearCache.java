package io.wxgateway.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.NearCacheConfig;
import io.wxgateway.common.bus.Presence;
import io.wxgateway.common.options.ClusterOptions;

/**
 * A near cache of the presence map, for nodes that only read it: a bridge reads a user's presence for
 * every record addressed to a user (one read shared by the records that arrive while it is in
 * flight), and without the cache each read is a round trip to the member owning the entry. Every
 * change is sent to the caches at once, so a cached entry is as fresh as the map within the time an
 * event takes to cross the cluster. An invalidation lost on the way (Hazelcast loses some when members
 * join or leave during a migration) would be repaired only at Hazelcast's reconciliation, every 60 s,
 * and until then the bridge routes the user's pushes by a stale presence (to nodes the user left, or
 * as {@code user-offline}); so a cached entry also lives at most {@code cluster.presenceCacheSeconds}
 * (3 s by default), after which the next read goes to the owner again.
 *
 * <p>The invalidations leave from the member that owns the entry, usually a gateway node, so every
 * node must send them at once ({@link #invalidateAtOnce}): by default Hazelcast batches them for up
 * to 10 s, and a bridge then pushed to a user's old nodes only for that long after the user opened a
 * socket on another node (ClusterPresenceTest caught it).
 *
 * <p>Not for gateway nodes: they update the map with compare-and-set loops that must read the
 * owner's current value, not a cached one.
 */
final class PresenceNearCache {

  private PresenceNearCache() {
  }

  /**
   * For a node that only reads the presence map: the cache, its entries living {@code
   * cluster.presenceCacheSeconds} (0: no cache), and the invalidations of {@link #invalidateAtOnce}.
   */
  static Config apply(Config config, ClusterOptions options) {
    int lifetimeSeconds = options.getPresenceCacheSeconds();
    if (lifetimeSeconds > 0) {
      config.getMapConfig(Presence.MAP_NAME).setNearCacheConfig(new NearCacheConfig(Presence.MAP_NAME)
          .setInvalidateOnChange(true).setCacheLocalEntries(true).setTimeToLiveSeconds(lifetimeSeconds));
    }
    return invalidateAtOnce(config);
  }

  /** For every node: near-cache invalidations leave with each change, not in batches every 10 s. */
  static Config invalidateAtOnce(Config config) {
    config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
    return config;
  }
}
