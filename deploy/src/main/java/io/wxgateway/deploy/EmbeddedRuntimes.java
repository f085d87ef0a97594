package io.wxgateway.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.wxgateway.common.options.KafkaOptions;

/**
 * The distribution inside another program (the load-test tool, a backend's integration test): starts
 * {@link WxRuntime}s configured exactly as an operator would configure the launcher (WXGW_* variables
 * through {@link ConfigLoader}), and deploys the demo {@link EchoBackend} on any topics. The
 * configuration and the echo backend stay package-private; this is their public face.
 */
public final class EmbeddedRuntimes {

  private EmbeddedRuntimes() {
  }

  /**
   * Starts one process's roles as {@code env} (WXGW_* variables) configures them; Hazelcast
   * properties (cluster only) are applied on top, as a YAML {@code cluster.properties} section would.
   */
  public static WxRuntime start(Map<String, String> env, Map<String, String> hazelcastProperties)
      throws InterruptedException {
    WxConfig config;
    try {
      config = ConfigLoader.load(null, env);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    hazelcastProperties.forEach(config.cluster::putProperty);
    return WxRuntime.start(config);
  }

  /** Deploys the demo echo backend (the same class {@code --demo-echo} runs) on {@code kafka}'s topics. */
  public static Future<String> deployEcho(Vertx vertx, KafkaOptions kafka) {
    return vertx.deployVerticle(new EchoBackend(kafka));
  }

  /** The consumer group of the echo backend, so that a second echo on other topics can use another one. */
  public static String echoGroupId() {
    return EchoBackend.GROUP_ID;
  }
}
