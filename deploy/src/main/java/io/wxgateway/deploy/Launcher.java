package io.wxgateway.deploy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code wx-gateway [--config FILE] [--demo-echo] [--demo-page] [--help]}: loads the configuration, starts every
 * role in this process, prints what runs where, and stops cleanly on SIGTERM or Ctrl-C.
 */
public final class Launcher {

  private Launcher() {
  }

  public static void main(String[] args) throws Exception {
    Path configFile = null;
    Map<String, String> env = new HashMap<>(System.getenv());
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          printHelp(System.out);
          return;
        }
        case "--demo-echo" -> {
          env.put(ConfigLoader.envName("demo", "echo"), "true");
          env.put(ConfigLoader.envName("demo", "page"), "true");
        }
        case "--demo-page" -> env.put(ConfigLoader.envName("demo", "page"), "true");
        case "--config", "-c" -> {
          if (i + 1 >= args.length) {
            fail("--config needs a file");
          }
          configFile = Path.of(args[++i]);
          if (!Files.isReadable(configFile)) {
            fail("cannot read the configuration file " + configFile.toAbsolutePath());
          }
        }
        default -> fail("unknown argument '" + args[i] + "' (try --help)");
      }
    }
    WxConfig config;
    try {
      config = ConfigLoader.loadToStart(configFile, env); // every check, the key files too, before anything starts
    } catch (IllegalArgumentException e) {
      fail("invalid configuration: " + e.getMessage());
      return;
    }
    WxRuntime runtime;
    try {
      runtime = WxRuntime.start(config);
    } catch (RuntimeException | InterruptedException e) {
      Logs.flush(); // what start-up logged on its way to the failure: the logger's thread is a daemon
      throw e;
    }
    printBanner(runtime, System.out);
    new ShutdownSignals(runtime, runtime.drainDeadlineMs()).awaitStop();
  }

  static void printBanner(WxRuntime runtime, PrintStream out) {
    WxConfig c = runtime.config();
    out.println();
    out.println("wx-gateway is running (node " + runtime.nodeId() + ", roles " + c.roles + ")");
    if (c.roles.gateway()) {
      out.printf("  WebSocket    %s://%s:%d%s%n", c.gateway.getTls().isEnabled() ? "wss" : "ws", c.gateway.getHost(),
          c.gateway.getPort(), c.gateway.getPath());
    }
    if (runtime.clusterHealth() != null) {
      out.printf("  cluster      %s%n", runtime.clusterHealth().encode());
    }
    out.printf("  management   http://%s:%d/health/ready  (/health/live, /metrics, /admin/%s)%n", c.managementHost,
        runtime.managementPort(), c.adminToken.isEmpty() ? " disabled: no admin.token" : "");
    out.printf("  Kafka        %s%s%n", runtime.bootstrapServers(), runtime.embeddedBroker()
        ? "  EMBEDDED single-node broker, data in " + c.embeddedKafka.getDataDir().toAbsolutePath()
        + " -- for development only; set kafka.bootstrapServers in production" : "");
    out.printf("  topics       clients -> %s -> backends -> %s -> clients; dead letters in %s, receipts in %s%n",
        c.kafka.getInboundTopic(), c.kafka.getOutboundTopic(), c.kafka.getDeadLetterTopic(),
        c.kafka.getReceiptsTopic());
    out.printf("  demo echo    %s%n", c.demoEcho ? "ON: every message is echoed back to its socket"
        : "off (--demo-echo turns it on)");
    if (c.demoPage) {
      out.printf("  demo page    http://127.0.0.1:%d/demo  (open it in a browser)%n", runtime.managementPort());
    }
    out.println();
  }

  static void printHelp(PrintStream out) {
    out.println("""
        Usage: wx-gateway [--config FILE] [--demo-echo] [--demo-page] [--help]

        Runs the WebSocket gateway and/or the Kafka bridge (node.roles) and the management port.
        With no configuration it also starts an embedded single-node Kafka broker (development only).

          --config FILE   YAML configuration (sections below); environment variables override it
          --demo-echo     also run a demo backend that echoes every message back to its socket,
                          and serve a demo page to try it at http://<management>/demo
          --demo-page     serve the demo page without the echo backend (to try a backend of your own)
          --help          this text

        Every setting, its default, and the environment variable that overrides it:
        """);
    ConfigLoader.forEachSetting(WxConfig.defaults(), "", ConfigLoader.ENV_PREFIX, (path, value, env) ->
        out.printf("  %-40s %-22s %s%n", path, value == null ? "(none)" : value, env));
    out.println("  kafka.properties.<name>            (Kafka client property)  "
        + ConfigLoader.KAFKA_PROPERTY_PREFIX + "<NAME, dots as _>");
    out.println();
    out.println("See README.md for what each setting means, its unit, and what zero or empty means.");
  }

  private static void fail(String message) {
    Logs.flush(); // what was logged before the refusal
    System.err.println("wx-gateway: " + message);
    System.exit(2);
  }
}
