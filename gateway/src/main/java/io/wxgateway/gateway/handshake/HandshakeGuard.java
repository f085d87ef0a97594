package io.wxgateway.gateway.handshake;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.wxgateway.common.options.GatewayOptions;
import io.wxgateway.common.options.HandshakeOptions;
import io.wxgateway.gateway.auth.JwtVerifier;
import io.wxgateway.gateway.cluster.UserCap;
import io.wxgateway.gateway.connection.ConnectionRegistry;
import io.wxgateway.gateway.rate.TokenBucket;
import io.wxgateway.gateway.session.OpenEvents;
import io.wxgateway.gateway.session.SessionFrames;

/**
 * Decides, before the upgrade, whether a WebSocket handshake may proceed: whether the node takes
 * sockets at all (not draining, not out of its cluster), Origin and AppID allow-lists, subprotocol,
 * node capacity, per-address rate, the token, and the per-user cap.
 * Cheap checks run first; a refusal is a {@link HandshakeRejection} carrying its HTTP status.
 * One per node, thread-safe; {@link #admit} runs on the request's event loop and does not block.
 */
public final class HandshakeGuard {

  private final GatewayOptions options;
  private final HandshakeOptions handshake;
  private final ConnectionRegistry registry;
  private final JwtVerifier verifier;
  private final ClientAddressResolver addresses;
  private final OpenEventEncoder openEvents;
  private final ConcurrentHashMap<String, TokenBucket> perAddress = new ConcurrentHashMap<>();
  /** Each supported subprotocol to itself: the one instance every socket that speaks it shares. */
  private final Map<String, String> supportedSubprotocols;
  private final UserCap userCap;
  private final BooleanSupplier draining;
  private final BooleanSupplier outOfCluster;

  /**
   * @param verifier the token check, or null when {@code gateway.auth.mode} is none
   * @param draining true once the node drains: 503 from then on
   * @param outOfCluster true while the node's process is out of its cluster: 503
   */
  public HandshakeGuard(GatewayOptions options, ConnectionRegistry registry, UserCap userCap, JwtVerifier verifier,
      BooleanSupplier draining, BooleanSupplier outOfCluster) {
    this.userCap = userCap;
    this.draining = draining;
    this.outOfCluster = outOfCluster;
    this.options = options;
    this.handshake = options.getHandshake();
    this.registry = registry;
    this.verifier = verifier;
    this.addresses = new ClientAddressResolver(handshake.getTrustedProxies());
    this.openEvents = new OpenEventEncoder(handshake, addresses);
    this.supportedSubprotocols = subprotocols(options).stream()
        .collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity(), (a, b) -> a));
  }

  public Future<Admission> admit(HttpServerRequest req) {
    try {
      checkNodeTakesSockets();
      checkOrigin(req);
      WxReferer referer = checkAppId(req);
      String subprotocol = selectSubprotocol(req);
      checkNodeCapacity();
      String client = addresses.resolve(PeerAddress.of(req), req.getHeader("X-Forwarded-For"));
      checkAddressRate(client);
      return authenticate(req).compose(identity -> userCap.admit(identity.userId()).recover(HandshakeGuard::userLimit)
          .map(slot -> new Admission(identity.userId(), identity.expiresAtMillis(), referer, client, subprotocol,
              slot)));
    } catch (HandshakeRejection rejection) {
      return Future.failedFuture(rejection);
    }
  }

  /** The open events of the sockets this guard admits: the same address resolution, the allow-listed headers. */
  public OpenEvents openEvents() {
    return openEvents;
  }

  /** Forgets per-address buckets that refilled, so the map stays as small as the active clients. */
  public void sweep() {
    long now = System.nanoTime();
    perAddress.entrySet().removeIf(e -> {
      synchronized (e.getValue()) {
        return e.getValue().isFull(now);
      }
    });
  }

  private void checkNodeTakesSockets() {
    if (draining.getAsBoolean()) {
      throw new HandshakeRejection(503, "draining", "This node is shutting down; connect again.");
    }
    if (outOfCluster.getAsBoolean()) {
      throw new HandshakeRejection(503, "out-of-cluster", "This node lost its cluster; connect again.");
    }
  }

  private static Future<UserCap.Slot> userLimit(Throwable e) {
    return Future.failedFuture(e instanceof UserCap.LimitReached ? new HandshakeRejection(429, "user-limit",
        e.getMessage()) : e);
  }

  private void checkOrigin(HttpServerRequest req) {
    String origin = req.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !handshake.getOrigins().isEmpty() && !handshake.getOrigins().contains(origin)) {
      throw new HandshakeRejection(403, "origin", "Origin not allowed.");
    }
  }

  private WxReferer checkAppId(HttpServerRequest req) {
    WxReferer referer = WxReferer.parse(req.getHeader(HttpHeaders.REFERER));
    if (!handshake.getAppIds().isEmpty() && (referer == null || !handshake.getAppIds().contains(referer.appId()))) {
      throw new HandshakeRejection(403, "appid", "This mini program (AppID) is not allowed.");
    }
    return referer;
  }

  /**
   * The client's first offered subprotocol this node supports (as a browser's and Netty's selection
   * go), or null when it offered none. The gateway answers it itself: given to Vert.x, the list would
   * be joined and split again on every handshake, and kept on every socket (80 B, bench connections).
   */
  private String selectSubprotocol(HttpServerRequest req) {
    List<String> offered = offeredSubprotocols(req);
    if (offered.isEmpty()) {
      if (handshake.isRequireSubprotocol()) {
        throw new HandshakeRejection(400, "subprotocol", "A subprotocol is required: offer one of "
            + handshake.getSubprotocols() + ".");
      }
      return null;
    }
    for (String candidate : offered) {
      String supported = supportedSubprotocols.get(candidate);
      if (supported != null) {
        return supported;
      }
    }
    throw new HandshakeRejection(400, "subprotocol", "None of the offered subprotocols is supported; supported: "
        + handshake.getSubprotocols() + ".");
  }

  /**
   * The subprotocols the node echoes: the configured ones, and {@code wx.session.v1} when sessions are
   * enabled; empty when none.
   */
  public static List<String> subprotocols(GatewayOptions options) {
    List<String> configured = options.getHandshake().getSubprotocols();
    if (!options.getSession().isEnabled() || configured.contains(SessionFrames.PROTOCOL)) {
      return configured;
    }
    List<String> all = new java.util.ArrayList<>(configured);
    all.add(SessionFrames.PROTOCOL);
    return all;
  }

  static List<String> offeredSubprotocols(HttpServerRequest req) {
    return req.headers().getAll("Sec-WebSocket-Protocol").stream()
        .flatMap(h -> Arrays.stream(h.split(",")))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
  }

  private void checkNodeCapacity() {
    int max = handshake.getMaxSocketsPerNode();
    if (max > 0 && registry.sockets() >= max) {
      throw new HandshakeRejection(503, "node-full", "This node is full; try again later.");
    }
  }

  private void checkAddressRate(String client) {
    int rate = handshake.getPerAddressPerSecond();
    if (rate <= 0) {
      return;
    }
    long now = System.nanoTime();
    TokenBucket bucket = perAddress.computeIfAbsent(client, a -> new TokenBucket(rate, rate, now));
    boolean allowed;
    synchronized (bucket) {
      allowed = bucket.tryTake(1, now);
    }
    if (!allowed) {
      throw new HandshakeRejection(429, "rate-limited", "Too many handshakes from this address; slow down.");
    }
  }

  private Future<JwtVerifier.Identity> authenticate(HttpServerRequest req) {
    if (verifier == null) {
      return Future.succeededFuture(new JwtVerifier.Identity(null, 0));
    }
    String token = HandshakeToken.of(req, options.getAuth().getTokenQueryParam());
    return verifier.verify(token).recover(e -> Future.failedFuture(
        new HandshakeRejection(401, "unauthorized", "The token is invalid or expired.")));
  }
}
