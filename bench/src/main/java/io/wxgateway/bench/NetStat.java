package io.wxgateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's TCP counters (Linux {@code /proc/net/snmp} and {@code /proc/net/netstat}), read before
 * and after a phase: on loopback a retransmission only happens when a receive queue overflowed (its
 * socket's reader fell behind, so the packet was dropped), and each one stalls that connection for
 * the minimum retransmission timeout, 200 ms. Machine-wide counters: other processes count too.
 */
final class NetStat {

  private NetStat() {
  }

  /**
   * Retransmitted segments, receive-queue drops, prune calls, and segments sent (fewer per message:
   * writes that left together); empty when not on Linux.
   */
  static Map<String, Long> read() {
    Map<String, Long> out = new HashMap<>();
    read(Path.of("/proc/net/snmp"), "Tcp:", Map.of("RetransSegs", "tcpRetransmits", "OutSegs", "tcpSegmentsSent"), out);
    read(Path.of("/proc/net/netstat"), "TcpExt:", Map.of("TCPRcvQDrop", "tcpReceiveQueueDrops",
        "PruneCalled", "tcpPruneCalls", "TCPBacklogDrop", "tcpBacklogDrops"), out);
    return out;
  }

  private static void read(Path file, String prefix, Map<String, String> wanted, Map<String, Long> out) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i + 1 < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix) && lines.get(i + 1).startsWith(prefix)) {
          String[] names = lines.get(i).split("\\s+");
          String[] values = lines.get(i + 1).split("\\s+");
          for (int k = 1; k < Math.min(names.length, values.length); k++) {
            String key = wanted.get(names[k]);
            if (key != null) {
              out.put(key, Long.parseLong(values[k]));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: no counters
    }
  }

  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new HashMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, v)));
    return out;
  }
}
