package io.wxgateway.gateway.session;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.wxgateway.common.contract.Utf8;

/**
 * Reassembles data frames into whole messages with the raw bytes the client sent, refusing a message
 * as soon as it grows past the limit (so a fragmented message cannot make the gateway buffer more
 * than the limit) and refusing text that is not valid UTF-8. One per socket, used only on the
 * socket's event loop.
 */
final class MessageAssembler {

  /** What a complete, refused or malformed message becomes. */
  interface Listener {
    void onMessage(boolean text, byte[] bytes);

    void onTooBig(long size);

    void onInvalidUtf8();

    void onProtocolError(String detail);
  }

  private final int maxBytes;
  private final Listener listener;
  private Buffer partial;
  private boolean partialText;
  private boolean failed;

  MessageAssembler(int maxBytes, Listener listener) {
    this.maxBytes = maxBytes;
    this.listener = listener;
  }

  void onFrame(WebSocketFrame frame) {
    if (failed) {
      return; // the socket is closing: ignore what is still in flight
    }
    switch (frame.type()) {
      case TEXT, BINARY -> onFirstFrame(frame);
      case CONTINUATION -> onContinuation(frame);
      default -> { } // ping, pong and close are handled by Vert.x
    }
  }

  private void onFirstFrame(WebSocketFrame frame) {
    if (partial != null) {
      fail();
      listener.onProtocolError("a new data frame arrived before the fragmented message ended");
      return;
    }
    boolean text = frame.type() == io.vertx.core.http.WebSocketFrameType.TEXT;
    Buffer data = frame.binaryData();
    if (frame.isFinal()) {
      complete(text, data);
    } else if (withinLimit(data.length())) {
      partialText = text;
      partial = Buffer.buffer(Math.min(maxBytes, data.length() * 2)).appendBuffer(data);
    }
  }

  private void onContinuation(WebSocketFrame frame) {
    if (partial == null) {
      fail();
      listener.onProtocolError("a continuation frame arrived with no message to continue");
      return;
    }
    Buffer data = frame.binaryData();
    if (!withinLimit((long) partial.length() + data.length())) {
      partial = null;
      return;
    }
    partial.appendBuffer(data);
    if (frame.isFinal()) {
      Buffer whole = partial;
      partial = null;
      complete(partialText, whole);
    }
  }

  private void complete(boolean text, Buffer data) {
    if (!withinLimit(data.length())) {
      return;
    }
    byte[] bytes = data.getBytes();
    if (text && !Utf8.isValid(bytes)) {
      fail();
      listener.onInvalidUtf8();
      return;
    }
    listener.onMessage(text, bytes);
  }

  private boolean withinLimit(long size) {
    if (size <= maxBytes) {
      return true;
    }
    fail();
    listener.onTooBig(size);
    return false;
  }

  private void fail() {
    failed = true;
    partial = null;
  }
}
