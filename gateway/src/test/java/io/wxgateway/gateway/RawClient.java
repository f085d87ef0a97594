package io.wxgateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A client that writes exactly the bytes it is told to over a plain TCP socket, for inputs no real
 * WebSocket client would send: malformed upgrades, garbage, hand-built (masked) frames, sockets that
 * go silent or vanish with a RST. Blocking; use from the test thread (or one thread per client).
 */
final class RawClient implements AutoCloseable {

  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  /** An RFC 6455 sample key; its accept value is {@code s3pPLMBiTxaQ9kYGzzhZRbK+xOo=}. */
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  /** A status line and headers (names lower-cased); the body is not read. */
  record HttpResponse(int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** A frame from the server (servers never mask). */
  record Frame(boolean fin, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or 1005 (no status) when its body is empty. */
    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  /** How the server ended the connection: its close frame, or none (a drop: EOF or RST). */
  record Ending(Frame closeFrame, int framesBefore) {
    boolean dropped() {
      return closeFrame == null;
    }

    /** The close frame's code, or 1006 when there was none (the code a browser would report). */
    int code() {
      return closeFrame == null ? 1006 : closeFrame.closeCode();
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawClient connect(int port) {
    return connect(port, 0);
  }

  /** {@code receiveBufferBytes} > 0: a small TCP window, so what the server writes piles up on its side. */
  static RawClient connect(int port, int receiveBufferBytes) {
    try {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      if (receiveBufferBytes > 0) {
        s.setReceiveBufferSize(receiveBufferBytes);
      }
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(20_000);
      return new RawClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects, completes a valid upgrade on {@code path} and checks the 101 answer. */
  static RawClient upgrade(int port, String path) {
    return upgrade(port, path, 0);
  }

  static RawClient upgrade(int port, String path, int receiveBufferBytes) {
    RawClient client = connect(port, receiveBufferBytes);
    client.write(upgradeRequest(path, "Sec-WebSocket-Key: " + KEY, "Sec-WebSocket-Version: 13"));
    HttpResponse response = client.readResponse();
    assertEquals(101, response == null ? -1 : response.status(), "the upgrade was not accepted");
    assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", response.header("Sec-WebSocket-Accept"));
    return client;
  }

  /** A GET upgrade request with Host, Upgrade and Connection, plus the given header lines. */
  static String upgradeRequest(String path, String... headerLines) {
    StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return request.append("\r\n").toString();
  }

  RawClient write(String ascii) {
    return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawClient write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes, and reports whether the server had already closed the connection (write refused). */
  boolean tryWrite(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads a status line and headers; null when the connection ended before a complete response. */
  HttpResponse readResponse() {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = in.read()) != -1) {
        head.write(b);
        byte[] h = head.toByteArray();
        int n = h.length;
        if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
          return parse(new String(h, StandardCharsets.ISO_8859_1));
        }
      }
      return null;
    } catch (SocketException reset) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the body of a response just read, as long as its Content-Length says. */
  String readBody(HttpResponse response) {
    try {
      byte[] body = in.readNBytes(Integer.parseInt(response.header("Content-Length")));
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse parse(String head) {
    String[] lines = head.split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new HttpResponse(Integer.parseInt(lines[0].split(" ")[1]), headers);
  }

  /** A client frame: masked with a random key, as RFC 6455 requires of clients. */
  static byte[] frame(boolean fin, int opcode, byte[] payload) {
    return frame(fin, opcode, payload, true);
  }

  static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
    int len = payload.length;
    int lengthBytes = len <= 125 ? 0 : len <= 0xffff ? 2 : 8;
    ByteBuffer f = ByteBuffer.allocate(2 + lengthBytes + (masked ? 4 : 0) + len);
    f.put((byte) ((fin ? 0x80 : 0) | (opcode & 0x0f)));
    int maskBit = masked ? 0x80 : 0;
    if (lengthBytes == 0) {
      f.put((byte) (maskBit | len));
    } else if (lengthBytes == 2) {
      f.put((byte) (maskBit | 126)).putShort((short) len);
    } else {
      f.put((byte) (maskBit | 127)).putLong(len);
    }
    byte[] mask = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(mask);
      f.put(mask);
    }
    for (int i = 0; i < len; i++) {
      f.put((byte) (payload[i] ^ mask[i & 3]));
    }
    return f.array();
  }

  /** The body of a close frame: the code on two bytes, then the reason. */
  static byte[] closeBody(int code, String reason) {
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + r.length).putShort((short) code).put(r).array();
  }

  RawClient sendFrame(boolean fin, int opcode, byte[] payload) {
    return write(frame(fin, opcode, payload));
  }

  RawClient sendText(String text) {
    return sendFrame(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The next frame from the server; null when the connection ended (EOF or RST). */
  Frame readFrame() {
    try {
      int b0 = in.read();
      if (b0 == -1) {
        return null;
      }
      int b1 = readByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = (readByte() << 8) | readByte();
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | readByte();
        }
      }
      byte[] payload = in.readNBytes((int) len);
      if (payload.length < len) {
        return null;
      }
      return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
    } catch (SocketException | EOFException ended) {
      return null;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no frame from the server within the socket timeout", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b == -1) {
      throw new EOFException();
    }
    return b;
  }

  /** Reads (and skips) frames until the server's close frame or the end of the connection. */
  Ending awaitEnd() {
    int skipped = 0;
    for (Frame f = readFrame(); f != null; f = readFrame()) {
      if (f.opcode() == CLOSE) {
        return new Ending(f, skipped);
      }
      skipped++;
    }
    return new Ending(null, skipped);
  }

  /** Whether the server closed the TCP connection (EOF or RST) within the socket timeout; consumes input. */
  boolean awaitEof() {
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) != -1) {
        // keep draining until EOF
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  void setReadTimeout(int millis) {
    try {
      socket.setSoTimeout(millis);
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drops the connection with a TCP RST (SO_LINGER 0): no close frame, no FIN. */
  void abort() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }
}
