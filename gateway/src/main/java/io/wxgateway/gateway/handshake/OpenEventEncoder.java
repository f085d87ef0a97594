package io.wxgateway.gateway.handshake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.wxgateway.common.codec.InboundEvent;
import io.wxgateway.common.options.HandshakeOptions;
import io.wxgateway.gateway.session.OpenEvents;

/**
 * The {@code wx.socket.open} event's value (docs/kafka-contract.md): remoteAddress, subprotocol,
 * userId, appId, appVersion, path and the allow-listed headers, in that order, nulls written out,
 * exactly as a {@code JsonObject} with those fields encodes. Written straight to bytes with Jackson's
 * generator: building a JsonObject first cost a map and a walk over it on every handshake.
 * Immutable and thread-safe.
 */
final class OpenEventEncoder implements OpenEvents {

  private static final Set<String> NEVER_COPIED = Set.of("authorization", "cookie");
  private static final JsonFactory JSON = new JsonFactory();

  private final ClientAddressResolver addresses;
  /** The allow-listed header names, but those never copied; a name listed twice is one field, as in a JsonObject. */
  private final List<String> headers;

  OpenEventEncoder(HandshakeOptions handshake, ClientAddressResolver addresses) {
    this.addresses = addresses;
    Set<String> names = new LinkedHashSet<>();
    for (String name : handshake.getHeaders()) {
      if (!NEVER_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
        names.add(name);
      }
    }
    this.headers = List.copyOf(names);
  }

  @Override
  public String clientAddress(ServerWebSocket ws) {
    return addresses.resolve(PeerAddress.of(ws), ws.headers().get("X-Forwarded-For"));
  }

  @Override
  public byte[] encode(ServerWebSocket ws, InboundEvent event, String clientAddress) {
    MultiMap request = ws.headers();
    WxReferer referer = WxReferer.parse(request.get(HttpHeaders.REFERER));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("remoteAddress", clientAddress);
      json.writeStringField("subprotocol", event.subprotocol());
      json.writeStringField("userId", event.userId());
      json.writeStringField("appId", event.appId());
      json.writeStringField("appVersion", referer == null ? null : referer.version());
      json.writeStringField("path", ws.path());
      json.writeObjectFieldStart("headers");
      for (String name : headers) {
        String value = request.get(name);
        if (value != null) {
          json.writeStringField(name, value);
        }
      }
      json.writeEndObject();
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }
}
