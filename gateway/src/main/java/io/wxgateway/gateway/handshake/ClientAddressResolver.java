package io.wxgateway.gateway.handshake;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most address
 * in {@code X-Forwarded-For} that is not itself a trusted proxy (so a client cannot forge its way
 * past the proxies). Trusted proxies are addresses or CIDR ranges. Immutable and thread-safe.
 */
final class ClientAddressResolver {

  private final List<Cidr> trusted = new ArrayList<>();

  ClientAddressResolver(List<String> trustedProxies) {
    for (String entry : trustedProxies) {
      trusted.add(Cidr.parse(entry.trim()));
    }
  }

  String resolve(String peer, String forwardedFor) {
    if (forwardedFor == null || trusted.isEmpty() || !isTrusted(peer)) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (!hop.isEmpty() && !isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(String address) {
    byte[] bytes = literal(address);
    if (bytes == null) {
      return false;
    }
    for (Cidr cidr : trusted) {
      if (cidr.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  /** The bytes of an IP literal, without any DNS lookup; null when it is not one. */
  static byte[] literal(String address) {
    if (address == null || address.isEmpty() || !(Character.digit(address.charAt(0), 16) >= 0
        || address.charAt(0) == ':' || address.charAt(0) == '[')) {
      return null;
    }
    String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    if (!bare.matches("[0-9a-fA-F:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName(bare).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("gateway.handshake.trustedProxies: '" + text + "' is not an IP or CIDR");
      }
      int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
      return new Cidr(network, prefix);
    }

    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest);
      return (address[full] & mask) == (network[full] & mask);
    }
  }
}
