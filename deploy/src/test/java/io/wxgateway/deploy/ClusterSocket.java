package io.wxgateway.deploy;

import io.wxgateway.common.testing.TestSocket;

/** A client socket on a node of the {@link TestCluster}, with the connection id the gateway registered for it. */
record ClusterSocket(String node, String user, String id, TestSocket socket) {

  String nextText() {
    return socket.next().asText();
  }

  void close() {
    if (!socket.isClosed()) {
      socket.close();
    }
  }
}
