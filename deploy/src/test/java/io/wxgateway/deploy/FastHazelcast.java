package io.wxgateway.deploy;

import java.util.Map;

/** Hazelcast for tests: join without the 5 s settling pause, and merge quickly should a slow join form a second cluster. */
final class FastHazelcast {

  static final Map<String, String> PROPERTIES = Map.of(
      "hazelcast.wait.seconds.before.join", "0",
      "hazelcast.merge.first.run.delay.seconds", "5",
      "hazelcast.merge.next.run.delay.seconds", "5");

  private FastHazelcast() {
  }

  /** For an in-process node; a child JVM gets {@link #PROPERTIES} as system properties instead. */
  static WxConfig applyTo(WxConfig config) {
    PROPERTIES.forEach(config.cluster::putProperty);
    return config;
  }
}
