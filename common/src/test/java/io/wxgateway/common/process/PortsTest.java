package io.wxgateway.common.process;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void portsLieBelowTheRangeOutboundSocketsTakeTheirLocalPortsFrom() throws IOException {
    int ephemeralLowerBound = ephemeralLowerBound();
    List<Integer> ports = Ports.free(50);

    for (int port : ports) {
      assertTrue(port < ephemeralLowerBound, port + " lies in the ephemeral range from " + ephemeralLowerBound);
    }
  }

  /** Read here, not through Ports, so that the test judges Ports by the kernel's word. */
  private static int ephemeralLowerBound() throws IOException {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    assumeTrue(Files.exists(range), "a kernel that says its ephemeral range");
    return Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);
  }

  @Test
  void noPortIsHandedOutTwice() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = Ports.free();
      assertTrue(seen.add(port), port + " handed out again");
    }
  }

  @Test
  void aPortInUseIsSkipped() throws IOException {
    int next = Ports.free();
    try (ServerSocket taken = new ServerSocket(next + 1, 50, InetAddress.getLoopbackAddress())) {
      assertNotEquals(taken.getLocalPort(), Ports.free());
    }
  }
}
