package io.wxgateway.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports for test servers that were free a moment ago, so that tests running side by side do not collide. */
public final class Ports {

  private Ports() {
  }

  /** One port that was free a moment ago. */
  public static int free() {
    return free(1).get(0);
  }

  /** {@code count} distinct ports that were free a moment ago (all held open together, then released). */
  public static List<Integer> free(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports.add(socket.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      sockets.forEach(Ports::closeQuietly);
    }
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // the port is released either way
    }
  }
}
