package io.wxgateway.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a run measured: one row per phase (the median over the rounds, with the spread), the
 * comparisons with their baselines and the targets of issue 7, every raw phase, and whatever a scenario
 * adds. Printed as a table and written as JSON.
 */
final class Report {

  final String scenario;
  final JsonObject json = new JsonObject();
  private final Map<String, List<PhaseResult>> phases = new LinkedHashMap<>();
  private final JsonArray comparisons = new JsonArray();
  private final JsonArray runs = new JsonArray();
  private final List<String> notes = new ArrayList<>();

  Report(String scenario, BenchOptions options) {
    this.scenario = scenario;
    json.put("scenario", scenario)
        .put("date", Instant.now().toString())
        .put("machine", machine())
        .put("options", options.toJson());
    if (options.crossNode()) {
      json.put("layout", new JsonObject().put("gatewayNodes", options.integer("nodes"))
          .put("bridgeNodes", options.integer("bridges")));
    }
  }

  static JsonObject machine() {
    Runtime rt = Runtime.getRuntime();
    JsonObject m = new JsonObject()
        .put("cores", rt.availableProcessors())
        .put("maxHeapBytes", rt.maxMemory())
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("jvmArgs", new JsonArray(ManagementFactory.getRuntimeMXBean().getInputArguments()));
    FdLimit.describe(m);
    return m;
  }

  void add(PhaseResult r) {
    phases.computeIfAbsent(r.label, k -> new ArrayList<>()).add(r);
    runs.add(r.toJson());
  }

  /** The phases' labels, in the order they were first added. */
  List<String> labels() {
    return List.copyOf(phases.keySet());
  }

  List<PhaseResult> results(String label) {
    return phases.getOrDefault(label, List.of());
  }

  /** Median of {@code metric} over the rounds of {@code label}; NaN when there are none. */
  double median(String label, java.util.function.ToDoubleFunction<PhaseResult> metric) {
    double[] v = results(label).stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  double min(String label, java.util.function.ToDoubleFunction<PhaseResult> metric) {
    return results(label).stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).min().orElse(Double.NaN);
  }

  double max(String label, java.util.function.ToDoubleFunction<PhaseResult> metric) {
    return results(label).stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
  }

  /**
   * A figure beside its baseline. {@code ratio}: value / baseline (throughputs) or, when false, value -
   * baseline (latencies). {@code target}: the target in words, null when there is none.
   */
  void compare(String name, double value, double baseline, boolean ratio, String unit, String target, Boolean met,
      String note) {
    JsonObject c = new JsonObject().put("name", name).put("unit", unit);
    putNumber(c, "value", value);
    putNumber(c, "baseline", baseline);
    if (ratio) {
      putNumber(c, "ratio", value / baseline);
    } else {
      putNumber(c, "difference", value - baseline);
    }
    if (target != null) {
      c.put("target", target).put("met", met);
    }
    if (note != null) {
      c.put("note", note);
    }
    comparisons.add(c);
  }

  /** A figure with a target and no baseline of its own kind (the target is the reference). */
  void target(String name, double value, String unit, String target, boolean met, String note) {
    JsonObject c = new JsonObject().put("name", name).put("unit", unit).put("target", target).put("met", met);
    putNumber(c, "value", value);
    if (note != null) {
      c.put("note", note);
    }
    comparisons.add(c);
  }

  /** A figure reported for what it shows, with neither a baseline nor a target. */
  void figure(String name, double value, String unit, String note) {
    JsonObject c = new JsonObject().put("name", name).put("unit", unit);
    putNumber(c, "value", value);
    if (note != null) {
      c.put("note", note);
    }
    comparisons.add(c);
  }

  void note(String note) {
    notes.add(note);
  }

  static void putNumber(JsonObject json, String key, double v) {
    if (!Double.isNaN(v) && !Double.isInfinite(v)) {
      json.put(key, PhaseResult.round(v));
    }
  }

  JsonObject toJson() {
    JsonArray rows = new JsonArray();
    phases.forEach((label, list) -> rows.add(row(label, list)));
    return json.copy().put("rows", rows).put("comparisons", comparisons).put("runs", runs)
        .put("notes", new JsonArray(notes));
  }

  private JsonObject row(String label, List<PhaseResult> list) {
    PhaseResult first = list.get(0);
    JsonObject r = new JsonObject().put("label", label).put("mode", first.mode).put("rounds", list.size());
    putNumber(r, "offeredRate", first.offeredRate);
    r.put("throughput", spread(label, p -> p.throughput));
    r.put("p50Ms", spread(label, p -> p.p(50)));
    r.put("p99Ms", spread(label, p -> p.p(99)));
    r.put("p999Ms", spread(label, p -> p.p(99.9)));
    r.put("maxMs", spread(label, p -> p.latency.getTotalCount() == 0 ? Double.NaN : p.latency.getMaxValue() / 1000.0));
    r.put("serviceP99Ms", spread(label, p -> PhaseResult.ms(p.service, 99)));
    r.put("sent", list.stream().mapToLong(p -> p.sent).sum());
    r.put("received", list.stream().mapToLong(p -> p.received).sum());
    r.put("lost", list.stream().mapToLong(PhaseResult::lost).sum());
    r.put("errors", list.stream().mapToLong(p -> p.errors).sum());
    r.put("loadGeneratorCpu", spread(label, p -> p.cpu.loadGenerator()));
    r.put("processCpu", spread(label, p -> p.cpu.process()));
    return r;
  }

  private JsonObject spread(String label, java.util.function.ToDoubleFunction<PhaseResult> metric) {
    JsonObject s = new JsonObject();
    putNumber(s, "median", median(label, metric));
    putNumber(s, "min", min(label, metric));
    putNumber(s, "max", max(label, metric));
    return s;
  }

  void print(PrintStream out) {
    JsonObject j = toJson();
    out.println();
    JsonObject layout = j.getJsonObject("layout");
    out.printf("== %s%s  (%s, %d cores, %s)%n", scenario, layout == null ? "" : String.format(" %d gateway + %d bridge nodes",
        layout.getInteger("gatewayNodes"), layout.getInteger("bridgeNodes")), j.getString("date"),
        j.getJsonObject("machine").getInteger("cores"), j.getJsonObject("machine").getString("java"));
    if (!phases.isEmpty()) {
      out.printf("%-42s %6s %12s %16s %8s %8s %8s %8s %7s %6s %9s%n", "phase", "rounds", "per second", "(min-max)", "p50 ms",
          "p99 ms", "p99.9 ms", "max ms", "lost", "errors", "loadgen");
      for (Object o : j.getJsonArray("rows")) {
        JsonObject r = (JsonObject) o;
        JsonObject t = r.getJsonObject("throughput");
        out.printf(Locale.ROOT, "%-42s %6d %12s %16s %8s %8s %8s %8s %7d %6d %8s%n", r.getString("label"),
            r.getInteger("rounds"), num(t.getDouble("median"), 0),
            "(" + num(t.getDouble("min"), 0) + "-" + num(t.getDouble("max"), 0) + ")",
            num(r.getJsonObject("p50Ms").getDouble("median"), 2), num(r.getJsonObject("p99Ms").getDouble("median"), 2),
            num(r.getJsonObject("p999Ms").getDouble("median"), 2), num(r.getJsonObject("maxMs").getDouble("median"), 1),
            r.getLong("lost"), r.getLong("errors"), pct(r.getJsonObject("loadGeneratorCpu").getDouble("median")));
      }
    }
    List<String> stageLines = new ArrayList<>();
    phases.values().forEach(list -> list.forEach(r -> {
      String line = StageProfile.line(r);
      if (line != null) {
        stageLines.add(line);
      }
    }));
    if (!stageLines.isEmpty()) {
      out.println();
      stageLines.forEach(out::println);
    }
    if (!comparisons.isEmpty()) {
      out.println();
      for (Object o : comparisons) {
        JsonObject c = (JsonObject) o;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-52s %12s %s", c.getString("name"),
            num(c.getDouble("value"), 3), c.getString("unit")));
        if (c.containsKey("baseline")) {
          b.append(String.format(Locale.ROOT, "   baseline %s", num(c.getDouble("baseline"), 3)));
        }
        if (c.containsKey("ratio")) {
          b.append(String.format(Locale.ROOT, "   ratio %s", num(c.getDouble("ratio"), 3)));
        }
        if (c.containsKey("difference")) {
          b.append(String.format(Locale.ROOT, "   difference %+.3f", c.getDouble("difference")));
        }
        if (c.containsKey("target")) {
          b.append("   target ").append(c.getString("target")).append(c.getBoolean("met") ? "  MET" : "  NOT MET");
        }
        if (c.containsKey("note")) {
          b.append("   (").append(c.getString("note")).append(')');
        }
        out.println(b);
      }
    }
    for (String n : notes) {
      out.println("note: " + n);
    }
    out.println();
  }

  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, toJson().encodePrettily());
  }

  static String num(Double v, int decimals) {
    if (v == null || v.isNaN()) {
      return "-";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  static String pct(Double v) {
    return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.0f%%", v * 100);
  }

  static String joinLabels(String... parts) {
    return String.join(" ", Arrays.asList(parts));
  }
}
