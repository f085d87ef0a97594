package io.wxgateway.common.bus;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;

/**
 * CPU and allocation a delivery of the clustered event bus's wire form: a batch encoded into a message
 * as Vert.x starts one (1 KB), decoded, and its answer both ways, on one thread. The bench's fanout
 * figures swing by a third on a shared machine; these do not (the allocation is exact), so they show
 * what a codec change does. In the codecs' package because the codecs are package-private: the
 * event bus is their only other caller.
 *
 * <p>{@code java -cp "bench/target/lib/*:bench/target/classes" io.wxgateway.common.bus.WireCost [deliveries a batch] [rounds]}
 */
public final class WireCost {

  private static final long ROUND_NANOS = 2_000_000_000L;
  private static final BusCodecs.BatchCodec BATCHES = new BusCodecs.BatchCodec(); // stateless, as the event bus holds them
  private static final BusCodecs.ResultsCodec ANSWERS = new BusCodecs.ResultsCodec();

  private WireCost() {
  }

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 267; // what a bridge fetched a poll in fanout by user
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    for (int round = 1; round <= rounds; round++) {
      Round r = measure(size, ROUND_NANOS);
      System.out.printf("round %d: %.0f ns CPU and %.0f B allocated a delivery (batch and answer, encoded and decoded)%n",
          round, r.cpuNanos(), r.allocatedBytes());
    }
    System.out.printf("(%d deliveries a batch)%n", size);
  }

  /** One round's figures a delivery; {@code decoded} counts what came back, to check and to keep the JIT honest. */
  record Round(double cpuNanos, double allocatedBytes, long decoded, long sent) {
  }

  /** Round trips of a batch of {@code size} deliveries for {@code nanos}, on this thread. */
  static Round measure(int size, long nanos) {
    DeliveryBatch batch = new DeliveryBatch(deliveries(size), 4_000, 77, System.nanoTime());
    List<DeliveryResult> answered = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      answered.add(DeliveryResult.delivered(1));
    }
    DeliveryResults results = new DeliveryResults(answered, 77, System.nanoTime());
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long start = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    long bytes = threads.getCurrentThreadAllocatedBytes();
    long batches = 0;
    long decoded = 0;
    do {
      decoded += roundTrip(batch, results);
      batches++;
    } while (System.nanoTime() - start < nanos);
    cpu = threads.getCurrentThreadCpuTime() - cpu;
    bytes = threads.getCurrentThreadAllocatedBytes() - bytes;
    return new Round((double) cpu / (batches * size), (double) bytes / (batches * size), decoded, 2 * batches * size);
  }

  private static List<Delivery> deliveries(int size) {
    List<Delivery> deliveries = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      deliveries.add(new Delivery(Delivery.Action.SEND_TEXT, Delivery.TargetKind.USER, "u-" + (1_000 + i),
          Buffer.buffer(new byte[64]), 0, null, "bench-fanout-" + (123_456 + i), 1_700_000_000_000L + i, i % 8,
          100_000L + i));
    }
    return deliveries;
  }

  private static int roundTrip(DeliveryBatch batch, DeliveryResults results) {
    Buffer request = Buffer.buffer(1024).appendInt(0).appendInt(0); // a clustered message's start and header
    BATCHES.encodeToWire(request, batch);
    DeliveryBatch received = BATCHES.decodeFromWire(8, request);
    Buffer answer = Buffer.buffer(1024).appendInt(0).appendInt(0);
    ANSWERS.encodeToWire(answer, results);
    return received.deliveries().size() + ANSWERS.decodeFromWire(8, answer).results().size();
  }
}
