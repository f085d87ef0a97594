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
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered them first
    }
  }

  static final class DeliveryCodec extends ByReferenceCodec<Delivery> {
    DeliveryCodec() {
      super("wx.delivery");
    }

    @Override
    public void encodeToWire(Buffer buffer, Delivery d) {
      write(buffer, d);
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
      return read(new Reader(buffer, pos));
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

    static Delivery read(Reader r) {
      Delivery.Action action = Delivery.Action.values()[r.readByte()];
      Delivery.TargetKind kind = Delivery.TargetKind.values()[r.readByte()];
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
      return new DeliveryResult(delivered, error == null ? null : DeliveryError.fromCode(error), detail);
    }
  }

  static final class BatchCodec extends ByReferenceCodec<DeliveryBatch> {
    BatchCodec() {
      super("wx.delivery-batch");
    }

    @Override
    public void encodeToWire(Buffer buffer, DeliveryBatch batch) {
      buffer.appendInt(batch.deliveries().size());
      batch.deliveries().forEach(d -> DeliveryCodec.write(buffer, d));
      // appended last, so that a node of the previous version, which stops before them, still reads the batch
      buffer.appendLong(batch.budgetMs());
      buffer.appendLong(batch.clockId());
      buffer.appendLong(batch.deadlineNanos());
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
      return new DeliveryBatch(java.util.Arrays.asList(deliveries), r.readLong(), r.readLong(), r.readLong());
    }
  }

  static final class ResultsCodec extends ByReferenceCodec<DeliveryResults> {
    ResultsCodec() {
      super("wx.delivery-results");
    }

    @Override
    public void encodeToWire(Buffer buffer, DeliveryResults results) {
      buffer.appendInt(results.results().size());
      results.results().forEach(r -> ResultCodec.write(buffer, r));
      buffer.appendLong(results.clockId());
      buffer.appendLong(results.nodeNanos());
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
      return new DeliveryResults(java.util.Arrays.asList(results), r.readLong(), r.readLong());
    }
  }
}
