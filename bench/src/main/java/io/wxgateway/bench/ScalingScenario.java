package io.wxgateway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * fanout-scaling: the fanout scenario on one node and across nodes in one run, so that "cross-node at
 * least 0.8 of the single node" compares figures taken minutes apart on the same machine, not in two
 * runs an unknown load apart. Each round runs both layouts one after the other, each in an environment
 * of its own (broker, runtimes, sockets) and each beside its own bare Vert.x rounds; odd rounds run the
 * cross-node layout first, so that a machine getting busier or the JIT getting warmer does not always
 * favour the same layout.
 *
 * <p>Reported per target, as the median of the rounds' ratios with their spread: cross-node / one node
 * of the delivered msg/s (the target), of the msg/s per core the server side used (CPU efficiency, the
 * steadier figure on a shared machine), and of the msg/s each layout delivered as a share of its own
 * bare Vert.x rounds (what a drift between the two halves of a round would cancel out of).
 */
final class ScalingScenario {

  static final double TARGET = 0.8;

  private final BenchOptions o;

  ScalingScenario(BenchOptions o) {
    this.o = o;
  }

  /** The cross-node layout: the options' --nodes and --bridges, or two gateway nodes and one bridge when neither is set above 1. */
  static BenchOptions crossLayout(BenchOptions o) {
    return o.crossNode() ? o : o.with("nodes", "2");
  }

  Report run() throws Exception {
    BenchOptions cross = crossLayout(o).with("repeat", "1");
    BenchOptions single = o.with("nodes", "1").with("bridges", "1").with("repeat", "1");
    String crossName = cross.integer("nodes") + " gw + " + cross.integer("bridges") + " br";
    Report report = new Report("fanout-scaling", cross);
    int rounds = Math.max(1, o.integer("repeat"));
    for (int round = 0; round < rounds; round++) {
      boolean singleFirst = round % 2 == 0;
      for (int half = 0; half < 2; half++) {
        boolean isSingle = (half == 0) == singleFirst;
        Bench.progress(o, String.format(Locale.ROOT, "round %d of %d: fanout %s", round + 1, rounds,
            isSingle ? "on one node" : "across " + crossName + " nodes"));
        Report part = new FanoutScenario(isSingle ? single : cross).run();
        copy(part, report, isSingle ? "1 node" : crossName);
      }
    }
    for (String mode : o.list("by")) {
      compare(report, mode, crossName, rounds);
    }
    report.note("each layout ran in an environment of its own, one after the other in every round (odd rounds "
        + "cross-node first); the ratios are the median of the rounds' cross-node / one-node ratios");
    return report;
  }

  /** The part's phases, under labels that name the layout: "fanout by user, 1 node (gateway)". */
  private static void copy(Report part, Report into, String layout) {
    for (String label : part.labels()) {
      String renamed = label.replace(" (", ", " + layout + " (");
      part.results(label).forEach(r -> into.add(r.relabeled(renamed)));
    }
  }

  private void compare(Report report, String mode, String crossName, int rounds) {
    String single = "fanout by " + mode + ", 1 node";
    String cross = "fanout by " + mode + ", " + crossName;
    List<PhaseResult> sg = report.results(single + " (gateway)");
    List<PhaseResult> cg = report.results(cross + " (gateway)");
    List<PhaseResult> sb = report.results(single + " (bare Vert.x)");
    List<PhaseResult> cb = report.results(cross + " (bare Vert.x)");
    if (sg.size() != rounds || cg.size() != rounds) {
      throw new IllegalStateException("fanout by " + mode + ": " + sg.size() + " one-node and " + cg.size()
          + " cross-node rounds of " + rounds);
    }
    double[] throughput = ratios(cg, sg, p -> p.throughput);
    double[] efficiency = ratios(cg, sg, FanoutScenario::perServerCore);
    String name = "cross-node / one node, fanout by " + mode;
    String spread = "rounds " + list(throughput) + "; medians " + num(report.median(cross + " (gateway)", p -> p.throughput))
        + " vs " + num(report.median(single + " (gateway)", p -> p.throughput)) + " msg/s";
    report.target(name + ": delivered msg/s", median(throughput), "ratio", ">= " + TARGET, median(throughput) >= TARGET,
        spread);
    report.figure(name + ": msg/s per core used by the server side", median(efficiency), "ratio",
        "rounds " + list(efficiency) + "; CPU of the process minus the load generator's threads");
    JsonObject figures = new JsonObject().put("throughput", json(throughput)).put("perServerCore", json(efficiency));
    if (sb.size() == rounds && cb.size() == rounds) {
      double[] normalized = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        normalized[i] = (cg.get(i).throughput / cb.get(i).throughput) / (sg.get(i).throughput / sb.get(i).throughput);
      }
      report.figure(name + ": delivered msg/s, each as a share of its own bare Vert.x", median(normalized), "ratio",
          "rounds " + list(normalized));
      figures.put("shareOfBare", json(normalized));
    }
    report.json.put("scaling", report.json.getJsonObject("scaling", new JsonObject()).put(mode, figures));
  }

  /** Round by round, {@code metric} of {@code cross} over that of {@code single}. */
  private static double[] ratios(List<PhaseResult> cross, List<PhaseResult> single, ToDoubleFunction<PhaseResult> metric) {
    double[] r = new double[cross.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = metric.applyAsDouble(cross.get(i)) / metric.applyAsDouble(single.get(i));
    }
    return r;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static String list(double[] values) {
    List<String> parts = new ArrayList<>();
    for (double v : values) {
      parts.add(String.format(Locale.ROOT, "%.2f", v));
    }
    return String.join(", ", parts);
  }

  private static JsonArray json(double[] values) {
    JsonArray a = new JsonArray();
    for (double v : values) {
      a.add(PhaseResult.round(v));
    }
    return a;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
