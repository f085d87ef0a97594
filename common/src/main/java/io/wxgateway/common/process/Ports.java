package io.wxgateway.common.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for test and benchmark servers, chosen below the kernel's ephemeral range.
 *
 * <p>A port handed out by {@code new ServerSocket(0)} comes from the ephemeral range, which is also
 * where every outbound connection (Kafka clients, Hazelcast members, WebSocket clients) takes its
 * local port. Between the moment such a port is released and the moment the server binds it, an
 * outbound socket can take it: CI saw a Hazelcast member refuse to start that way. Ports below the
 * ephemeral range are never taken by outbound sockets, so only another test server can collide: each
 * JVM starts at a random point of the range and never hands out the same port twice.
 */
public final class Ports {

  /** Linux's default ephemeral range starts at 32768, macOS's at 49152; below both. */
  private static final int HIGHEST = Math.min(32_000, ephemeralLowerBound() - 1);
  private static final int LOWEST = Math.max(1_024, Math.min(20_000, HIGHEST - 4_000));
  private static final AtomicInteger NEXT = new AtomicInteger(
      LOWEST + ThreadLocalRandom.current().nextInt(HIGHEST - LOWEST));

  private Ports() {
  }

  /** One port that was free a moment ago. */
  public static int free() {
    return free(1).get(0);
  }

  /** {@code count} distinct ports that were free a moment ago, none handed out before by this JVM. */
  public static List<Integer> free(int count) {
    List<Integer> ports = new ArrayList<>();
    for (int tried = 0; ports.size() < count; tried++) {
      if (tried > HIGHEST - LOWEST) {
        throw new IllegalStateException("no free port left in " + LOWEST + "-" + HIGHEST);
      }
      int port = LOWEST + Math.floorMod(NEXT.getAndIncrement() - LOWEST, HIGHEST - LOWEST + 1);
      if (bindable(port)) {
        ports.add(port);
      }
    }
    return ports;
  }

  /** The range's upper end, exposed so that a test can check it stays clear of the ephemeral range. */
  static int highest() {
    return HIGHEST;
  }

  static int lowest() {
    return LOWEST;
  }

  static int ephemeralLowerBound() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      return Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean bindable(int port) {
    return bindable(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        && bindable(new InetSocketAddress(port));
  }

  private static boolean bindable(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
