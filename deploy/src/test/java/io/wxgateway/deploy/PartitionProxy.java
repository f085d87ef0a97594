package io.wxgateway.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of one Hazelcast member, which advertises the forwarder's address as its
 * own ({@code cluster.publicHost}/{@code publicPort}), so every connection to that member passes
 * here. {@link #cut} turns the connections that come from one address (or all of them) into black
 * holes, as a partition does: they stay open, what is sent is dropped, and new ones are accepted but
 * never answered. {@link #heal} closes the black holes (their streams lost bytes), so the members
 * connect again. Blocking I/O, two threads per connection: for a handful of members.
 */
final class PartitionProxy implements AutoCloseable {

  /** One forwarded connection; {@code upstream} is null for one accepted while cut. */
  private static final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean blackHole;

    Link(Socket client, Socket upstream, boolean blackHole) {
      this.client = client;
      this.upstream = upstream;
      this.blackHole = blackHole;
    }

    void close() {
      closeQuietly(client);
      if (upstream != null) {
        closeQuietly(upstream);
      }
    }
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
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

  /** Black-holes every connection whose client is {@code fromHost}, or every connection for "*". */
  void cut(String fromHost) {
    cutFrom = fromHost;
    links.stream().filter(l -> isCut(l.client)).forEach(l -> l.blackHole = true);
  }

  void heal() {
    cutFrom = null;
    links.stream().filter(l -> l.blackHole).forEach(l -> {
      l.close();
      links.remove(l);
    });
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
          Link hole = new Link(client, null, true);
          links.add(hole);
          pump(hole, client, null);
          continue;
        }
        Socket upstream = new Socket();
        upstream.connect(target, 2_000);
        Link link = new Link(client, upstream, false);
        links.add(link);
        pump(link, client, upstream);
        pump(link, upstream, client);
      } catch (IOException e) {
        // a refused upstream or a closed server: the next accept decides
      }
    }
  }

  private void pump(Link link, Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to == null ? null : to.getOutputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (!link.blackHole && out != null) {
            out.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // closed: by a heal, or by either end
      } finally {
        link.close();
        links.remove(link);
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    links.forEach(Link::close);
  }
}
