package io.wxgateway.common.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.wxgateway.common.bus.Wire.Reader;

/**
 * Event-bus codecs for {@link ReplayRequest} and {@link ReplayAnswer}, registered by
 * {@link BusCodecs#register}. Local sends pass the objects by reference.
 */
final class ReplayCodecs {

  private ReplayCodecs() {
  }

  static final class RequestCodec extends ByReferenceCodec<ReplayRequest> {
    RequestCodec() {
      super("wx.replay-request");
    }

    @Override
    public void encodeToWire(Buffer buffer, ReplayRequest r) {
      Wire.writeString(buffer, r.requestId());
      Wire.writeString(buffer, r.sessionId());
      Wire.writeString(buffer, r.replyTo());
      buffer.appendInt(r.targets().size());
      r.targets().forEach(t -> Wire.writeString(buffer, t));
      buffer.appendInt(r.acked().size());
      r.acked().forEach((p, o) -> buffer.appendInt(p).appendLong(o));
      buffer.appendLong(r.sinceMs());
    }

    @Override
    public ReplayRequest decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      String requestId = r.readString();
      String sessionId = r.readString();
      String replyTo = r.readString();
      List<String> targets = new ArrayList<>();
      for (int i = r.readInt(); i > 0; i--) {
        targets.add(r.readString());
      }
      Map<Integer, Long> acked = new HashMap<>();
      for (int i = r.readInt(); i > 0; i--) {
        acked.put(r.readInt(), r.readLong());
      }
      return new ReplayRequest(requestId, sessionId, replyTo, targets, acked, r.readLong());
    }
  }

  static final class AnswerCodec extends ByReferenceCodec<ReplayAnswer> {
    AnswerCodec() {
      super("wx.replay-answer");
    }

    @Override
    public void encodeToWire(Buffer buffer, ReplayAnswer a) {
      Wire.writeString(buffer, a.requestId());
      Wire.writeString(buffer, a.bridgeId());
      buffer.appendInt(a.partitionCount());
      buffer.appendInt(a.partitions().size());
      a.partitions().forEach(buffer::appendInt);
      buffer.appendByte((byte) (a.complete() ? 1 : 0));
      Wire.writeString(buffer, a.detail());
      buffer.appendInt(a.pushes().size());
      for (Delivery d : a.pushes()) {
        BusCodecs.DeliveryCodec.write(buffer, d);
        BusCodecs.DeliveryCodec.writePosition(buffer, d);
      }
    }

    @Override
    public ReplayAnswer decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      String requestId = r.readString();
      String bridgeId = r.readString();
      int partitionCount = r.readInt();
      List<Integer> partitions = new ArrayList<>();
      for (int i = r.readInt(); i > 0; i--) {
        partitions.add(r.readInt());
      }
      boolean complete = r.readByte() == 1;
      String detail = r.readString();
      List<Delivery> pushes = new ArrayList<>();
      for (int i = r.readInt(); i > 0; i--) {
        pushes.add(BusCodecs.DeliveryCodec.withPosition(BusCodecs.DeliveryCodec.read(r), r));
      }
      return new ReplayAnswer(requestId, bridgeId, partitionCount, partitions, complete, detail, pushes);
    }
  }
}
