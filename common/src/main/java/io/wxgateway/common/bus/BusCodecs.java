package io.wxgateway.common.bus;

import java.nio.charset.StandardCharsets;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.wxgateway.common.contract.DeliveryError;

/**
 * Event-bus codecs for {@link Delivery} and {@link DeliveryResult}. Local sends pass the immutable
 * objects by reference; clustered sends use the compact binary form below.
 */
public final class BusCodecs {

  private BusCodecs() {
  }

  /** Registers both codecs as defaults; safe to call from every verticle of one Vert.x instance. */
  public static synchronized void register(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    try {
      bus.registerDefaultCodec(Delivery.class, new DeliveryCodec());
      bus.registerDefaultCodec(DeliveryResult.class, new ResultCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another verticle of this Vert.x instance registered them first
    }
  }

  static final class DeliveryCodec implements MessageCodec<Delivery, Delivery> {
    @Override
    public void encodeToWire(Buffer buffer, Delivery d) {
      buffer.appendByte((byte) d.action().ordinal());
      buffer.appendByte((byte) d.targetKind().ordinal());
      writeString(buffer, d.target());
      buffer.appendInt(d.closeCode());
      writeString(buffer, d.closeReason());
      writeString(buffer, d.recordId());
      buffer.appendLong(d.createdAt());
      buffer.appendInt(d.payload().length());
      buffer.appendBuffer(d.payload());
    }

    @Override
    public Delivery decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
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

    @Override
    public Delivery transform(Delivery d) {
      return d;
    }

    @Override
    public String name() {
      return "wx.delivery";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  static final class ResultCodec implements MessageCodec<DeliveryResult, DeliveryResult> {
    @Override
    public void encodeToWire(Buffer buffer, DeliveryResult r) {
      buffer.appendInt(r.delivered());
      writeString(buffer, r.error() == null ? null : r.error().code());
      writeString(buffer, r.detail());
    }

    @Override
    public DeliveryResult decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      int delivered = r.readInt();
      String error = r.readString();
      String detail = r.readString();
      return new DeliveryResult(delivered, error == null ? null : DeliveryError.fromCode(error), detail);
    }

    @Override
    public DeliveryResult transform(DeliveryResult r) {
      return r;
    }

    @Override
    public String name() {
      return "wx.delivery-result";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  private static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length);
    buffer.appendBytes(bytes);
  }

  /** Sequential reads over a wire buffer. */
  private static final class Reader {
    private final Buffer buffer;
    private int pos;

    Reader(Buffer buffer, int pos) {
      this.buffer = buffer;
      this.pos = pos;
    }

    byte readByte() {
      return buffer.getByte(pos++);
    }

    int readInt() {
      int v = buffer.getInt(pos);
      pos += 4;
      return v;
    }

    long readLong() {
      long v = buffer.getLong(pos);
      pos += 8;
      return v;
    }

    String readString() {
      int len = readInt();
      if (len < 0) {
        return null;
      }
      String s = buffer.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    Buffer readBuffer(int len) {
      Buffer b = buffer.getBuffer(pos, pos + len);
      pos += len;
      return b;
    }
  }
}
