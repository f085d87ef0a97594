package io.wxgateway.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonObject;

/**
 * The command line: {@code <scenario> [--name value | --flag] ...}. Every option has a default, so a
 * bare {@code relay} runs. Unknown options fail fast: a typo must not silently run another benchmark.
 */
final class BenchOptions {

  /** Options that take no value. */
  private static final Set<String> FLAGS = Set.of("binary", "no-baseline", "help", "quiet", "closed-only",
      "open-only", "keep-data", "no-stages");

  /** Every option with its default and meaning, for {@code --help} and validation. */
  static final Map<String, String[]> KNOWN = new LinkedHashMap<>();

  static {
    known("connections", "100", "sockets the load generator opens (relay, fanout, connections, soak; "
        + "storm: 10000 unless set)");
    known("rate", "0", "open loop: aggregate messages/s (fanout: records/s); 0 = half of the measured maximum");
    known("fraction", "0.5", "open-loop rate as a fraction of the measured maximum, when --rate is 0");
    known("window", "8", "closed loop: messages in flight per connection (fanout: records in flight in all)");
    known("duration", "30", "seconds measured per phase (soak: the whole soak)");
    known("warmup", "10", "seconds of unmeasured load before the first phase");
    known("repeat", "1", "rounds of the whole comparison; the report gives the median and the spread");
    known("payload-bytes", "64", "size of each message");
    known("source-addresses", "4", "loopback source addresses 127.0.0.2 ... 127.0.0.(k+1), round robin; 0 = OS default");
    known("client-threads", "2", "event loops of the load generator");
    known("client-receive-buffer", "1048576", "SO_RCVBUF of the load generator's sockets in bytes (-1: the OS default); "
        + "large, so that a busy client drops nothing (a loopback drop is a 200 ms retransmission)");
    known("concurrency", "1000", "handshakes in flight while opening sockets (every scenario; storm: while reconnecting)");
    known("by", "connection,user,broadcast", "fanout: targets, comma-separated");
    known("sockets-per-user", "2", "fanout by user: sockets each user holds");
    known("interval", "60", "soak: seconds per reported interval");
    known("nodes", "1", "gateway nodes (1-8); 2 or more = the cross-node variant of relay and fanout: that many "
        + "gateway-only nodes and --bridges bridge-only nodes, clustered over Hazelcast in this JVM");
    known("bridges", "1", "bridge-only nodes (1-4, each running the demo echo) of the cross-node variant; more than 1 "
        + "makes it cross-node even with --nodes 1. --nodes 3 shows gateway scaling, --nodes 2 --bridges 2 the bridge's");
    known("target", "", "ws://host:port/path of an external gateway (relay, fanout, soak, connections, storm); empty = in-process");
    known("bootstrap", "", "Kafka bootstrap servers; empty = start an embedded broker (needed with --target for baselines)");
    known("partitions", "8", "partitions of the topics the bench creates (in-process runtimes use the same)");
    known("gateway", "", "where the gateway runs: in-process or child (a JVM of its own); empty = the scenario's "
        + "default (connections: child, the others: in-process)");
    known("child-jvm-opts", "", "extra JVM options of a child gateway, e.g. -XX:StartFlightRecording=filename=gw.jfr");
    known("dist", "", "connections: the built distribution (deploy/target/wx-gateway) to start the child from; "
        + "empty = the bench's own class path, same jars");
    known("servers", "gateway,bare", "connections: which child JVMs to measure: gateway, bare (the baseline) or both");
    known("child-heap", "2g", "connections: -Xmx of the child JVMs");
    known("env", "", "extra WXGW_* settings for in-process and child runtimes, e.g. WXGW_KAFKA_PROPERTY_LINGER_MS=5 "
        + "(comma-separated NAME=VALUE)");
    known("token-algorithm", "HS256", "fanout by user, storm, resume-storm: the algorithm of the users' tokens "
        + "(HS256, RS256 or ES256), which the gateway verifies at every handshake");
    known("json", "", "write the report as JSON to this file");
    known("drain", "10", "seconds without any message after a phase (at most 12 times that in all) before what is "
        + "still in flight counts as lost");
    known("binary", null, "send binary messages instead of text");
    known("no-baseline", null, "skip the baseline runs");
    known("closed-only", null, "relay: measure the maximum only (closed loop)");
    known("open-only", null, "relay: measure the open-loop rate only (needs --rate)");
    known("no-stages", null, "relay, fanout: no per-stage CPU breakdown (a Flight Recorder recording of this JVM "
        + "while the runtime runs in it)");
    known("quiet", null, "no progress lines");
    known("keep-data", null, "keep the embedded broker's data directory");
    known("help", null, "this text");
  }

  private static void known(String name, String def, String help) {
    KNOWN.put(name, new String[] {def, help});
  }

  final String scenario;
  private final Map<String, String> values = new LinkedHashMap<>();

  private BenchOptions(String scenario) {
    this.scenario = scenario;
  }

  static BenchOptions parse(String... args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("name a scenario: " + String.join(", ", Bench.SCENARIOS));
    }
    BenchOptions o = new BenchOptions(args[0].toLowerCase(Locale.ROOT));
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --)");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (!KNOWN.containsKey(name)) {
        throw new IllegalArgumentException("unknown option --" + name + " (try --help)");
      }
      if (FLAGS.contains(name)) {
        o.values.put(name, value == null ? "true" : value);
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      o.values.put(name, value);
    }
    return o;
  }

  /** {@code --nodes} or {@code --bridges} above 1: gateway and bridge nodes apart, clustered. */
  boolean crossNode() {
    return integer("nodes") > 1 || integer("bridges") > 1;
  }

  /** A copy with {@code name} set to {@code value} (a scenario running another with other settings). */
  BenchOptions with(String name, String value) {
    if (!KNOWN.containsKey(name)) {
      throw new IllegalArgumentException("unknown option --" + name);
    }
    BenchOptions copy = new BenchOptions(scenario);
    copy.values.putAll(values);
    copy.values.put(name, value);
    return copy;
  }

  String string(String name) {
    String v = values.get(name);
    return v != null ? v : KNOWN.get(name)[0];
  }

  int integer(String name) {
    try {
      return Integer.parseInt(string(name).trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + string(name) + "'");
    }
  }

  double decimal(String name) {
    try {
      return Double.parseDouble(string(name).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, was '" + string(name) + "'");
    }
  }

  boolean flag(String name) {
    return "true".equalsIgnoreCase(values.get(name));
  }

  boolean isSet(String name) {
    return values.containsKey(name);
  }

  List<String> list(String name) {
    List<String> out = new ArrayList<>();
    for (String s : string(name).split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  /** {@code --env A=1,B=2} as a map. */
  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : list("env")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--env takes NAME=VALUE pairs, got '" + pair + "'");
      }
      env.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return env;
  }

  /** Every option with its effective value, for the JSON report. */
  JsonObject toJson() {
    JsonObject json = new JsonObject();
    KNOWN.forEach((name, spec) -> {
      if (!name.equals("help")) {
        json.put(name, FLAGS.contains(name) ? flag(name) : string(name));
      }
    });
    return json;
  }

  static String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: bench <scenario> [options]\n\nScenarios:\n");
    b.append("  relay           client -> gateway -> Kafka -> echo -> Kafka -> bridge -> client, beside kafka-baseline\n");
    b.append("                  (closed-loop maximum, then open loop at --rate or --fraction of the maximum)\n");
    b.append("  kafka-baseline  the same echo backend and producer settings driven by Kafka clients alone\n");
    b.append("  fanout          the backend pushes to the connected sockets by connection, user and broadcast,\n");
    b.append("                  beside a bare Vert.x WebSocket server pushing the same messages\n");
    b.append("  connections     open --connections idle sockets as fast as possible: handshakes/s and heap per\n");
    b.append("                  socket after GC, the gateway in a child JVM, beside a bare Vert.x WebSocket server\n");
    b.append("  soak            the relay at --fraction of its maximum (or --rate) for --duration s, reporting heap\n");
    b.append("                  after GC and p99 every --interval s\n");
    b.append("  storm           reconnect storm on one node: --connections sockets (10000) dropped at once without a\n");
    b.append("                  close frame, reconnected: time until all are open, their open events are read from\n");
    b.append("                  Kafka, presence settled and a push reached each (target: 10,000 within 5 s)\n");
    b.append("  resume-storm    --connections sessions (10000) of wx.session.v1 suspended at once, 10 pushes held for\n");
    b.append("                  each, then all resumed within 1 s: time until every one recovered with its pushes,\n");
    b.append("                  heap per suspended session and per held push\n");
    b.append("  fanout-scaling  fanout on one node, then across --nodes N gateway nodes (2 unless set) and --bridges B\n");
    b.append("                  bridge nodes, alternating each --repeat round: cross-node / one node per target,\n");
    b.append("                  from the same run (target: >= 0.8)\n");
    b.append("\nCross-node variants of relay and fanout: --nodes N gateway nodes and --bridges B bridge nodes\n");
    b.append("(e.g. --nodes 3; --nodes 2 --bridges 2), clustered over Hazelcast in this JVM.\n\nOptions:\n");
    KNOWN.forEach((name, spec) -> b.append(String.format("  --%-18s %-28s %s%n", name + (FLAGS.contains(name) ? "" : " V"),
        spec[0] == null ? "" : "(" + (spec[0].isEmpty() ? "empty" : spec[0]) + ")", spec[1])));
    return b.toString();
  }
}
