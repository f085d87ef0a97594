package io.wxgateway.common.bus;

import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.wxgateway.common.bus.Wire.Reader;

/**
 * Event-bus codecs for the admin protocol, registered by {@link BusCodecs#register}. Local sends pass
 * the objects by reference; clustered sends use the binary form below (JSON objects as their text).
 */
final class AdminCodecs {

  private AdminCodecs() {
  }

  static final class RequestCodec extends ByReferenceCodec<AdminRequest> {
    RequestCodec() {
      super("wx.admin-request");
    }

    @Override
    public void encodeToWire(Buffer buffer, AdminRequest r) {
      buffer.appendByte((byte) r.op().ordinal());
      Wire.writeString(buffer, r.connectionId());
      Wire.writeString(buffer, r.userId());
      Wire.writeString(buffer, r.appId());
      buffer.appendInt(r.limit());
      buffer.appendInt(r.closeCode());
      Wire.writeString(buffer, r.closeReason());
    }

    @Override
    public AdminRequest decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      AdminRequest.Op op = AdminRequest.Op.values()[r.readByte()];
      String connectionId = r.readString();
      String userId = r.readString();
      String appId = r.readString();
      int limit = r.readInt();
      int closeCode = r.readInt();
      return new AdminRequest(op, connectionId, userId, appId, limit, closeCode, r.readString());
    }
  }

  static final class AnswerCodec extends ByReferenceCodec<AdminAnswer> {
    AnswerCodec() {
      super("wx.admin-answer");
    }

    @Override
    public void encodeToWire(Buffer buffer, AdminAnswer a) {
      buffer.appendInt(a.count());
      buffer.appendInt(a.connections().size());
      a.connections().forEach(c -> Wire.writeString(buffer, c.encode()));
      Wire.writeString(buffer, a.stats() == null ? null : a.stats().encode());
    }

    @Override
    public AdminAnswer decodeFromWire(int pos, Buffer buffer) {
      Reader r = new Reader(buffer, pos);
      int count = r.readInt();
      List<JsonObject> connections = new ArrayList<>();
      for (int n = r.readInt(); n > 0; n--) {
        connections.add(new JsonObject(r.readString()));
      }
      String stats = r.readString();
      return new AdminAnswer(count, connections, stats == null ? null : new JsonObject(stats));
    }
  }
}
