package io.wxgateway.deploy;

import com.hazelcast.config.Config;
import com.hazelcast.config.NearCacheConfig;
import io.wxgateway.common.bus.Presence;

/**
 * A near cache of the presence map, for nodes that only read it: a bridge reads a user's presence for
 * every record addressed to a user, and without the cache each read is a round trip to the member
 * owning the entry (the cross-node user fanout ran at 2% of its baseline). Every change is sent to
 * the caches at once (Hazelcast batches invalidations every 10 s by default), so a cached entry is as
 * fresh as the map within the time an event takes to cross the cluster; an invalidation lost on the
 * way is repaired within Hazelcast's reconciliation interval (60 s).
 *
 * <p>Not for gateway nodes: they update the map with compare-and-set loops that must read the
 * owner's current value, not a cached one.
 */
final class PresenceNearCache {

  private PresenceNearCache() {
  }

  static Config apply(Config config) {
    config.getMapConfig(Presence.MAP_NAME).setNearCacheConfig(new NearCacheConfig(Presence.MAP_NAME)
        .setInvalidateOnChange(true).setCacheLocalEntries(true));
    config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
    return config;
  }
}
