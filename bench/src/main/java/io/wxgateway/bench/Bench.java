package io.wxgateway.bench;

import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code bench <scenario> [options]}: the wx-gateway benchmark. Every figure comes with a baseline
 * measured in the same run (see {@link BenchOptions#help()} and bench/README.md).
 */
public final class Bench {

  static final List<String> SCENARIOS = List.of("relay", "kafka-baseline", "fanout", "connections", "soak",
      "storm", "resume-storm", "fanout-scaling");

  private Bench() {
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "wx-bench-logback.xml");
    }
    int rc;
    try {
      BenchOptions o = BenchOptions.parse(args);
      if (o.flag("help") || o.scenario.equals("help") || o.scenario.equals("--help")) {
        System.out.println(BenchOptions.help());
        rc = 0;
      } else {
        Report report = run(o);
        rc = report.toJson().getJsonArray("runs").stream()
            .anyMatch(r -> ((io.vertx.core.json.JsonObject) r).getLong("errors", 0L) > 0) ? 1 : 0;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      rc = 2;
    } catch (Exception e) {
      System.err.println("bench: failed: " + e);
      e.printStackTrace();
      rc = 1;
    }
    System.exit(rc);
  }

  /** Runs one scenario, prints its table and writes its JSON (with {@code --json}); for tests too. */
  public static Report run(BenchOptions o) throws Exception {
    Report report = switch (o.scenario) {
      case "relay" -> new RelayScenario(o, true, !o.flag("no-baseline")).run();
      case "kafka-baseline" -> new RelayScenario(o, false, true).run();
      case "fanout" -> new FanoutScenario(o).run();
      case "fanout-scaling" -> new ScalingScenario(o).run();
      case "connections" -> new ConnectionsScenario(o).run();
      case "soak" -> new SoakScenario(o).run();
      case "storm" -> new StormScenario(o).run();
      case "resume-storm" -> new ResumeStormScenario(o).run();
      default -> throw new IllegalArgumentException("unknown scenario '" + o.scenario + "'; one of " + SCENARIOS);
    };
    report.print(System.out);
    String json = o.string("json");
    if (!json.isBlank()) {
      report.write(Path.of(json));
      progress(o, "wrote " + Path.of(json).toAbsolutePath());
    }
    return report;
  }

  static void progress(BenchOptions o, String line) {
    if (!o.flag("quiet")) {
      System.out.println("[" + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
      System.out.flush();
    }
  }
}
