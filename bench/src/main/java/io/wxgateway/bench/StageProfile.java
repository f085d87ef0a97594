package io.wxgateway.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonObject;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU of a phase went, by {@link Stages stage}, in microseconds per message: a Flight
 * Recorder recording of this JVM's execution samples (every 10 ms per running thread) for the whole
 * run, of which each phase takes its measured window. A stage's share of the window's samples times
 * the CPU of the process's Java threads in the phase, divided by the messages received, is that
 * stage's CPU per message; the rest of the process's CPU (GC, JIT, the VM) is {@link Stages#VM}.
 * It is an estimate (a sample is a thread seen running, not a measured time), good for the
 * stages' proportions and their change between runs. Only in-process runtimes: a child's or an
 * external gateway's CPU is not in this JVM.
 */
final class StageProfile implements AutoCloseable {

  private static final Duration PERIOD = Duration.ofMillis(10);

  private final Recording recording = new Recording();
  private final Path dump;

  private StageProfile() throws IOException {
    dump = Files.createTempFile("wx-bench-stages-", ".jfr");
    recording.enable("jdk.ExecutionSample").withPeriod(PERIOD).withStackTrace();
    recording.setToDisk(true);
    // a long soak must not fill the disk: a phase's window is read right after it ends
    recording.setMaxAge(Duration.ofMinutes(10));
    recording.setName("wx-bench-stages");
    recording.start();
  }

  /** A recording for this run, or null where there is nothing in-process to profile or it is turned off. */
  static StageProfile startIfUseful(BenchOptions o, boolean inProcessRuntime) {
    if (!inProcessRuntime || o.flag("no-stages")) {
      return null;
    }
    try {
      return new StageProfile();
    } catch (IOException | RuntimeException e) {
      Bench.progress(o, "no per-stage CPU: cannot start a Flight Recorder recording: " + e);
      return null;
    }
  }

  /**
   * Adds {@code cpuByStage} (µs per message, and the samples it rests on) to {@code r}, for {@code phase}'s
   * window; a window without a sample gets {@code samples} 0 and a note instead of the figures.
   */
  void attach(Phase phase, PhaseResult r, CpuMeter cpu) {
    if (phase.wallFrom == null || phase.wallTo == null || r.received == 0) {
      return;
    }
    Map<String, Long> samples = samples(phase.wallFrom, phase.wallTo, cpu);
    long total = samples.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) { // a short or idle window (a smoke run): said, not left out
      r.extra.put("cpuByStage", new JsonObject().put("samples", 0L).put("method", method())
          .put("note", "no execution sample fell in the phase's window: too short or too idle to split"));
      return;
    }
    double toMicros = CpuMeter.cores() * r.seconds * 1e6;
    double processMicros = r.cpu.process() * toMicros;
    // The samples are of Java threads running Java code: they share out the Java threads' CPU
    // (ThreadMXBean), not the process's, whose GC, JIT and VM threads no sample shows. Spreading
    // those over the stages made every stage look bigger in proportion (about 1.5x on a loaded
    // machine): they are a figure of their own.
    double javaMicros = Math.min(processMicros, r.cpu.byGroup().values().stream().mapToDouble(Double::doubleValue)
        .sum() * toMicros);
    if (javaMicros <= 0) {
      javaMicros = processMicros; // no per-thread CPU measured: the old estimate
    }
    JsonObject perMessage = new JsonObject();
    for (String stage : Stages.ALL) {
      long n = samples.getOrDefault(stage, 0L);
      double micros = stage.equals(Stages.VM) ? processMicros - javaMicros : javaMicros * n / total;
      perMessage.put(stage, PhaseResult.round(micros / r.received));
    }
    r.extra.put("cpuByStage", new JsonObject().put("microsPerMessage", perMessage).put("samples", total)
        .put("method", method()));
  }

  private static String method() {
    return "JFR execution samples every " + PERIOD.toMillis() + " ms, by stage (Stages), times the Java threads' "
        + "CPU of the window (the rest of the process's is " + Stages.VM + "), per message received";
  }

  /** One line for the report: the pipeline's stages of a phase, µs per message. */
  static String line(PhaseResult r) {
    JsonObject stages = r.extra.getJsonObject("cpuByStage");
    if (stages == null) {
      return null;
    }
    JsonObject m = stages.getJsonObject("microsPerMessage");
    if (m == null) {
      return r.label + ": no CPU by stage: " + stages.getString("note");
    }
    StringBuilder b = new StringBuilder(r.label).append(": CPU µs per message by stage:");
    for (String stage : Stages.ALL) {
      b.append(String.format(Locale.ROOT, " %s %.1f;", stage, m.getDouble(stage)));
    }
    return b.append(" (").append(stages.getLong("samples")).append(" samples)").toString();
  }

  private Map<String, Long> samples(Instant from, Instant to, CpuMeter cpu) {
    Map<String, Long> out = new LinkedHashMap<>();
    try {
      recording.dump(dump);
      try (RecordingFile file = new RecordingFile(dump)) {
        while (file.hasMoreEvents()) {
          RecordedEvent e = file.readEvent();
          if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStartTime().isBefore(from)
              || e.getStartTime().isAfter(to)) {
            continue;
          }
          RecordedThread t = e.getThread("sampledThread");
          RecordedStackTrace st = e.getStackTrace();
          if (t == null || st == null) {
            continue;
          }
          // by id: the recording keeps a thread's first name, and the load generator renames its loops
          String name = t.getJavaName() == null ? "" : t.getJavaName();
          String stage = cpu.isLoadThread(t.getJavaThreadId(), name) ? Stages.LOAD : Stages.of(name, st.getFrames());
          out.merge(stage, 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public void close() {
    recording.close();
    try {
      Files.deleteIfExists(dump);
    } catch (IOException e) {
      // a temporary file
    }
  }
}
