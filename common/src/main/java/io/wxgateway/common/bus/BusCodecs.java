package io.wxgateway.common.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.wxgateway.common.bus.Wire.Reader;
import io.wxgateway.common.contract.DeliveryError;

/**
 * Event-bus codecs for {@link Delivery}, {@link DeliveryResult} and their batches, and (in
 * {@link AdminCodecs}) for {@link AdminRequest} and {@link AdminAnswer}. Local sends pass
 * the immutable objects by reference; clustered sends use the compact binary form below.
 */
public final class BusCodecs {

  private BusCodecs() {
  }

  /** Registers every codec as a default; safe to call from every verticle of one Vert.x instance. */
  public static synchronized void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    try {
      bus.registerDefaultCodec(Delivery.class, new DeliveryCodec());
      bus.registerDefaultCodec(DeliveryResult.class, new ResultCodec());
      bus.registerDefaultCodec(DeliveryBatch.class, new BatchCodec());
      bus.registerDefaultCodec(DeliveryResults.class, new ResultsCodec());
      bus.registerDefaultCodec(AdminRequest.class, new AdminCodecs.RequestCodec());
      bus.registerDefaultCodec(AdminAnswer.class, new AdminCodecs.AnswerCodec());
      bus.registerDefaultCodec(ReplayRequest.class, new ReplayCodecs.RequestCodec());
      bus.registerDefaultCodec(ReplayAnswer.class, new ReplayCodecs.AnswerCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered them first
    }
  }

  static final class DeliveryCodec extends ByReferenceCodec<Delivery> {
    private static final Delivery.Action[] ACTIONS = Delivery.Action.values(); // values() copies its array
    private static final Delivery.TargetKind[] KINDS = Delivery.TargetKind.values();

    DeliveryCodec() {
      super("wx.delivery");
    }

    @Override
    public void encodeToWire(Buffer buffer, Delivery d) {
      write(buffer, d);
      writePosition(buffer, d);
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      Delivery d = read(r);
      return r.remaining() > 0 ? withPosition(d, r) : d;
    }

    static void write(Buffer buffer, Delivery d) {
      buffer.appendByte((byte) d.action().ordinal());
      buffer.appendByte((byte) d.targetKind().ordinal());
      Wire.writeString(buffer, d.target());
      buffer.appendInt(d.closeCode());
      Wire.writeString(buffer, d.closeReason());
      Wire.writeString(buffer, d.recordId());
      buffer.appendLong(d.createdAt());
      buffer.appendInt(d.payload().length());
      buffer.appendBuffer(d.payload());
    }

    /** What {@link #write} and {@link #writePosition} write for {@code d}, near enough to reserve room. */
    static int sizeOf(Delivery d) {
      return 2 + Wire.sizeOf(d.target()) + Integer.BYTES + Wire.sizeOf(d.closeReason()) + Wire.sizeOf(d.recordId())
          + Long.BYTES + Integer.BYTES + d.payload().length() + Integer.BYTES + Long.BYTES;
    }

    /** The position, written apart (after a batch's deadline) so that nodes of the previous version still read batches. */
    static void writePosition(Buffer buffer, Delivery d) {
      buffer.appendInt(d.partition());
      buffer.appendLong(d.offset());
    }

    static Delivery withPosition(Delivery d, Reader r) {
      int partition = r.readInt();
      long offset = r.readLong();
      return new Delivery(d.action(), d.targetKind(), d.target(), d.payload(), d.closeCode(), d.closeReason(),
          d.recordId(), d.createdAt(), partition, offset);
    }

    static Delivery read(Reader r) {
      Delivery.Action action = ACTIONS[r.readByte()];
      Delivery.TargetKind kind = KINDS[r.readByte()];
      String target = r.readString();
      int closeCode = r.readInt();
      String reason = r.readString();
      String recordId = r.readString();
      long createdAt = r.readLong();
      Buffer payload = r.readBuffer(r.readInt());
      return new Delivery(action, kind, target, payload, closeCode, reason, recordId, createdAt);
    }
  }

  static final class ResultCodec extends ByReferenceCodec<DeliveryResult> {
    ResultCodec() {
      super("wx.delivery-result");
    }

    @Override
    public void encodeToWire(Buffer buffer, DeliveryResult r) {
      write(buffer, r);
    }

    @Override
    public DeliveryResult decodeFromWire(int pos, Buffer buffer) {
      return read(new Reader(buffer, pos));
    }

    static void write(Buffer buffer, DeliveryResult r) {
      buffer.appendInt(r.delivered());
      Wire.writeString(buffer, r.error() == null ? null : r.error().code());
      Wire.writeString(buffer, r.detail());
    }

    static DeliveryResult read(Reader r) {
      int delivered = r.readInt();
      String error = r.readString();
      String detail = r.readString();
      if (error == null && detail == null) {
        return DeliveryResult.delivered(delivered); // shared when one socket got it, as most answers say
      }
      return new DeliveryResult(delivered, error == null ? null : DeliveryError.fromCode(error), detail);
    }
  }

  static final class BatchCodec extends ByReferenceCodec<DeliveryBatch> {
    BatchCodec() {
      super("wx.delivery-batch");
    }

    @Override
    public void encodeToWire(Buffer buffer, DeliveryBatch batch) {
      int size = Integer.BYTES + 3 * Long.BYTES;
      for (Delivery d : batch.deliveries()) {
        size += DeliveryCodec.sizeOf(d);
      }
      Wire.reserve(buffer, size);
      buffer.appendInt(batch.deliveries().size());
      batch.deliveries().forEach(d -> DeliveryCodec.write(buffer, d));
      // appended last, so that a node of the previous version, which stops before them, still reads the batch
      buffer.appendLong(batch.budgetMs());
      buffer.appendLong(batch.clockId());
      buffer.appendLong(batch.deadlineNanos());
      batch.deliveries().forEach(d -> DeliveryCodec.writePosition(buffer, d));
    }

    @Override
    public DeliveryBatch decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      Delivery[] deliveries = new Delivery[r.readInt()];
      for (int i = 0; i < deliveries.length; i++) {
        deliveries[i] = DeliveryCodec.read(r);
      }
      if (r.remaining() < 3 * Long.BYTES) { // from a bridge of the previous version: no deadline
        return new DeliveryBatch(java.util.Arrays.asList(deliveries));
      }
      long budgetMs = r.readLong();
      long clockId = r.readLong();
      long deadlineNanos = r.readLong();
      if (r.remaining() > 0) { // from a bridge that sends positions
        for (int i = 0; i < deliveries.length; i++) {
          deliveries[i] = DeliveryCodec.withPosition(deliveries[i], r);
        }
      }
      return new DeliveryBatch(java.util.Arrays.asList(deliveries), budgetMs, clockId, deadlineNanos);
    }
  }

  static final class ResultsCodec extends ByReferenceCodec<DeliveryResults> {
    ResultsCodec() {
      super("wx.delivery-results");
    }

    @Override
    public void encodeToWire(Buffer buffer, DeliveryResults results) {
      // a result's count and two string lengths, its holds' count and expiry, its move's length; strings not counted
      int perResult = 3 * Integer.BYTES + Integer.BYTES + Long.BYTES + Integer.BYTES;
      Wire.reserve(buffer, Integer.BYTES + results.results().size() * perResult + 2 * Long.BYTES);
      buffer.appendInt(results.results().size());
      results.results().forEach(r -> ResultCodec.write(buffer, r));
      buffer.appendLong(results.clockId());
      buffer.appendLong(results.nodeNanos());
      // the holds last, so that a bridge of the previous version, which stops before them, still reads the answer
      for (DeliveryResult r : results.results()) {
        buffer.appendInt(r.heldFor().size());
        r.heldFor().forEach(id -> Wire.writeString(buffer, id));
        buffer.appendLong(r.heldUntil());
      }
      results.results().forEach(r -> Wire.writeString(buffer, r.movedTo())); // after the holds, for the same reason
    }

    @Override
    public DeliveryResults decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      DeliveryResult[] results = new DeliveryResult[r.readInt()];
      for (int i = 0; i < results.length; i++) {
        results[i] = ResultCodec.read(r);
      }
      if (r.remaining() < 2 * Long.BYTES) { // from a node of the previous version
        return new DeliveryResults(java.util.Arrays.asList(results));
      }
      long clockId = r.readLong();
      long nodeNanos = r.readLong();
      if (r.remaining() > 0) { // from a node that knows sessions
        for (int i = 0; i < results.length; i++) {
          String[] held = new String[r.readInt()];
          for (int h = 0; h < held.length; h++) {
            held[h] = r.readString();
          }
          long heldUntil = r.readLong();
          DeliveryResult plain = results[i];
          if (held.length > 0 || heldUntil != 0) { // most are not held: keep the one already read
            results[i] = new DeliveryResult(plain.delivered(), plain.error(), plain.detail(),
                java.util.Arrays.asList(held), heldUntil);
          }
        }
      }
      if (r.remaining() > 0) { // from a node that follows resumed sessions
        for (int i = 0; i < results.length; i++) {
          String movedTo = r.readString();
          DeliveryResult plain = results[i];
          if (movedTo != null) {
            results[i] = new DeliveryResult(plain.delivered(), plain.error(), plain.detail(), plain.heldFor(),
                plain.heldUntil(), movedTo);
          }
        }
      }
      return new DeliveryResults(java.util.Arrays.asList(results), clockId, nodeNanos);
    }
  }
}
