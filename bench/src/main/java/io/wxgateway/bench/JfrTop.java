package io.wxgateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code JfrTop <recording.jfr> [top] [from-seconds] [to-seconds]}: the summary of a Flight Recorder
 * profile that docs/performance.md quotes: CPU samples by thread group, the hottest methods (self
 * time), the hottest frames of the project and of the libraries it calls (total time), allocation by
 * class and by allocating frame, and context switches. JDK 17's {@code jfr} tool prints events, not
 * profiles; this is the few lines that turn one into the other.
 */
public final class JfrTop {

  private JfrTop() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrTop <recording.jfr> [top=25] [from-seconds] [to-seconds]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    double from = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    double to = args.length > 3 ? Double.parseDouble(args[3]) : Double.MAX_VALUE;

    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> projectTotal = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocByFrame = new HashMap<>();
    Map<String, Long> allocByThread = new HashMap<>();
    long samples = 0;
    long allocated = 0;
    long switches = 0;
    Instant start = null;
    try (RecordingFile rf = new RecordingFile(file)) {
      while (rf.hasMoreEvents()) {
        RecordedEvent e = rf.readEvent();
        if (start == null) {
          start = e.getStartTime();
        }
        double at = (e.getStartTime().toEpochMilli() - start.toEpochMilli()) / 1000.0;
        if (at < from || at > to) {
          continue;
        }
        String type = e.getEventType().getName();
        switch (type) {
          case "jdk.ExecutionSample" -> {
            samples++;
            threads.merge(group(e.getThread("sampledThread")), 1L, Long::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
              continue;
            }
            self.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RecordedFrame f : st.getFrames()) {
              String name = frame(f);
              if (isInteresting(name) && seen.add(name)) {
                projectTotal.merge(name, 1L, Long::sum);
              }
            }
          }
          case "jdk.ObjectAllocationSample" -> {
            long weight = e.getLong("weight");
            allocated += weight;
            allocByClass.merge(e.getClass("objectClass").getName(), weight, Long::sum);
            allocByThread.merge(group(e.getThread("eventThread")), weight, Long::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st != null && !st.getFrames().isEmpty()) {
              String f = firstFrame(st.getFrames(), JfrTop::isProject);
              if (f == null) {
                f = firstFrame(st.getFrames(), n -> !n.startsWith("java.") && !n.startsWith("jdk.")
                    && !n.startsWith("sun."));
              }
              allocByFrame.merge(f == null ? frame(st.getFrames().get(0)) : f, weight, Long::sum);
            }
          }
          case "jdk.ThreadContextSwitchRate" -> switches += (long) e.getFloat("switchRate");
          default -> { }
        }
      }
    }
    System.out.printf(Locale.ROOT, "%s: %,d CPU samples, %,.1f MB allocation sampled (weight)%n", file, samples,
        allocated / 1048576.0);
    print("CPU samples by thread group", threads, samples, top);
    print("hottest methods (self)", self, samples, top);
    print("project and library frames on the stack (total)", projectTotal, samples, top);
    print("allocation by class (bytes, sampled weight)", allocByClass, allocated, top);
    print("allocation by first project (else library) frame", allocByFrame, allocated, top);
    print("allocation by thread group", allocByThread, allocated, top);
    if (switches > 0) {
      System.out.printf(Locale.ROOT, "%nthread context switch rate, summed over samples: %,d/s%n", switches);
    }
  }

  private static String firstFrame(List<RecordedFrame> frames, Predicate<String> p) {
    for (RecordedFrame f : frames) {
      String n = frame(f);
      if (p.test(n)) {
        return n;
      }
    }
    return null;
  }

  private static boolean isProject(String frame) {
    return frame.startsWith("io.wxgateway.") && !frame.startsWith("io.wxgateway.bench.");
  }

  private static boolean isInteresting(String frame) {
    return isProject(frame) || frame.startsWith("io.vertx.") || frame.startsWith("org.apache.kafka.clients.")
        || frame.startsWith("io.micrometer.") || frame.startsWith("ch.qos.logback.");
  }

  private static String frame(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** Thread names without their numbers, so the 4 event loops count as one group. */
  private static String group(RecordedThread t) {
    if (t == null) {
      return "(unknown)";
    }
    String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
    if (name == null) {
      return "(unnamed)";
    }
    return name.replaceAll("\\d+", "#");
  }

  private static void print(String title, Map<String, Long> counts, long total, int top) {
    System.out.printf("%n-- %s%n", title);
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", total == 0 ? 0 : 100.0 * e.getValue() / total,
            e.getKey()));
  }
}
