package io.wxgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of one Hazelcast member, which advertises the forwarder's address as its
 * own ({@code cluster.publicHost}/{@code publicPort}), so every connection to that member passes
 * here. {@link #cut} drops the connections that come from one address (or all of them) and refuses
 * new ones until {@link #heal}: a network partition on loopback, without privileges, of the kind a
 * firewall that rejects makes (connections reset, new ones refused). A silent one (black holes) was
 * tried: two survivors in one JVM then stopped hearing each other a few seconds after the cut in two
 * runs out of three, a cause not yet found, so the test uses this kind. Blocking I/O,
 * two threads per connection: for a handful of members.
 */
final class PartitionProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket[]> links = new CopyOnWriteArrayList<>();
  private volatile String cutFrom; // null: nothing cut; "*": everything

  PartitionProxy(String host, int port, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    this.target = target;
    Thread acceptor = new Thread(this::accept, "proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Drops and refuses every connection whose client is {@code fromHost}, or every connection for "*". */
  void cut(String fromHost) {
    cutFrom = fromHost;
    for (Socket[] link : links) {
      if (isCut(link[0])) {
        closeQuietly(link);
      }
    }
  }

  void heal() {
    cutFrom = null;
  }

  private boolean isCut(Socket client) {
    String from = cutFrom;
    return from != null && (from.equals("*") || client.getInetAddress().getHostAddress().equals(from));
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (isCut(client)) {
          client.close();
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        Socket[] link = {client, upstream};
        links.add(link);
        pump(link, client, upstream);
        pump(link, upstream, client);
      } catch (IOException e) {
        // a refused upstream or a closed server: the next accept decides
      }
    }
  }

  private void pump(Socket[] link, Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
        }
      } catch (IOException e) {
        // closed: by a cut, or by either end
      } finally {
        closeQuietly(link);
        links.remove(link);
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket[] link) {
    for (Socket s : link) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    links.forEach(PartitionProxy::closeQuietly);
  }
}
