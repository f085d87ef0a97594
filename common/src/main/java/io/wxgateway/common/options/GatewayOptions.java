package io.wxgateway.common.options;

import io.vertx.core.json.JsonObject;
import io.wxgateway.common.ConnectionId;

/** Options of the WebSocket gateway role. */
public class GatewayOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  public static final String DEFAULT_PATH = "/ws";
  /** Bytes; a larger message, also when fragmented, closes the socket with 1009. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  /**
   * Produce requests one socket may have in flight before the gateway stops reading from it (TCP
   * backpressure); it reads again when half of them are acknowledged.
   */
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 64;
  /**
   * Bytes of inbound messages one node may have waiting for Kafka; past it, the sockets that add more
   * stop being read until the node is back under half. 0 means unbounded (only the per-socket bound).
   */
  public static final long DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE = 32L * 1024 * 1024;
  /** Text message answered by the gateway and never forwarded; empty turns the built-in heartbeat off. */
  public static final String DEFAULT_HEARTBEAT_REQUEST = "ping";
  public static final String DEFAULT_HEARTBEAT_RESPONSE = "pong";
  /** Gateway verticle instances; 0 means one per event loop (2 x cores by default). */
  public static final int DEFAULT_INSTANCES = 0;

  private String nodeId;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String path = DEFAULT_PATH;
  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private int maxInFlightPerConnection = DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;
  private long maxInFlightBytesPerNode = DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE;
  private String heartbeatRequest = DEFAULT_HEARTBEAT_REQUEST;
  private String heartbeatResponse = DEFAULT_HEARTBEAT_RESPONSE;
  private int instances = DEFAULT_INSTANCES;
  private TlsOptions tls = new TlsOptions();
  private AuthOptions auth = new AuthOptions();
  private HandshakeOptions handshake = new HandshakeOptions();
  private SocketOptions socket = new SocketOptions();

  public GatewayOptions() {
  }

  public GatewayOptions(GatewayOptions other) {
    this.nodeId = other.nodeId;
    this.host = other.host;
    this.port = other.port;
    this.path = other.path;
    this.maxMessageBytes = other.maxMessageBytes;
    this.maxInFlightPerConnection = other.maxInFlightPerConnection;
    this.maxInFlightBytesPerNode = other.maxInFlightBytesPerNode;
    this.heartbeatRequest = other.heartbeatRequest;
    this.heartbeatResponse = other.heartbeatResponse;
    this.instances = other.instances;
    this.tls = new TlsOptions(other.tls);
    this.auth = new AuthOptions(other.auth);
    this.handshake = new HandshakeOptions(other.handshake);
    this.socket = new SocketOptions(other.socket);
  }

  public GatewayOptions(JsonObject json) {
    this();
    if (json.getString("nodeId") != null) {
      setNodeId(json.getString("nodeId"));
    }
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setPath(json.getString("path", DEFAULT_PATH));
    setMaxMessageBytes(json.getInteger("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
    setMaxInFlightPerConnection(json.getInteger("maxInFlightPerConnection", DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION));
    setMaxInFlightBytesPerNode(json.getLong("maxInFlightBytesPerNode", DEFAULT_MAX_IN_FLIGHT_BYTES_PER_NODE));
    setHeartbeatRequest(json.getString("heartbeatRequest", DEFAULT_HEARTBEAT_REQUEST));
    setHeartbeatResponse(json.getString("heartbeatResponse", DEFAULT_HEARTBEAT_RESPONSE));
    setInstances(json.getInteger("instances", DEFAULT_INSTANCES));
    tls = new TlsOptions(json.getJsonObject("tls", new JsonObject()));
    auth = new AuthOptions(json.getJsonObject("auth", new JsonObject()));
    handshake = new HandshakeOptions(json.getJsonObject("handshake", new JsonObject()));
    socket = new SocketOptions(json.getJsonObject("socket", new JsonObject()));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("nodeId", nodeId)
        .put("host", host)
        .put("port", port)
        .put("path", path)
        .put("maxMessageBytes", maxMessageBytes)
        .put("maxInFlightPerConnection", maxInFlightPerConnection)
        .put("maxInFlightBytesPerNode", maxInFlightBytesPerNode)
        .put("heartbeatRequest", heartbeatRequest)
        .put("heartbeatResponse", heartbeatResponse)
        .put("instances", instances)
        .put("tls", tls.toJson())
        .put("auth", auth.toJson())
        .put("handshake", handshake.toJson())
        .put("socket", socket.toJson());
  }

  public TlsOptions getTls() {
    return tls;
  }

  public GatewayOptions setTls(TlsOptions tls) {
    this.tls = tls;
    return this;
  }

  public AuthOptions getAuth() {
    return auth;
  }

  public GatewayOptions setAuth(AuthOptions auth) {
    this.auth = auth;
    return this;
  }

  public HandshakeOptions getHandshake() {
    return handshake;
  }

  public GatewayOptions setHandshake(HandshakeOptions handshake) {
    this.handshake = handshake;
    return this;
  }

  public SocketOptions getSocket() {
    return socket;
  }

  public GatewayOptions setSocket(SocketOptions socket) {
    this.socket = socket;
    return this;
  }

  /** This node's id, part of every connection id it issues; null until the launcher assigns one. */
  public String getNodeId() {
    return nodeId;
  }

  public GatewayOptions setNodeId(String nodeId) {
    this.nodeId = ConnectionId.requireValidNodeId(nodeId);
    return this;
  }

  public String getHost() {
    return host;
  }

  public GatewayOptions setHost(String host) {
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 binds a free port (tests). */
  public GatewayOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("gateway.port must be 0..65535, was " + port);
    }
    this.port = port;
    return this;
  }

  public String getPath() {
    return path;
  }

  public GatewayOptions setPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("gateway.path must start with '/', was '" + path + "'");
    }
    this.path = path;
    return this;
  }

  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public GatewayOptions setMaxMessageBytes(int maxMessageBytes) {
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("gateway.maxMessageBytes must be at least 1, was " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  public int getMaxInFlightPerConnection() {
    return maxInFlightPerConnection;
  }

  public GatewayOptions setMaxInFlightPerConnection(int maxInFlightPerConnection) {
    if (maxInFlightPerConnection < 1) {
      throw new IllegalArgumentException(
          "gateway.maxInFlightPerConnection must be at least 1, was " + maxInFlightPerConnection);
    }
    this.maxInFlightPerConnection = maxInFlightPerConnection;
    return this;
  }

  public long getMaxInFlightBytesPerNode() {
    return maxInFlightBytesPerNode;
  }

  public GatewayOptions setMaxInFlightBytesPerNode(long maxInFlightBytesPerNode) {
    if (maxInFlightBytesPerNode < 0) {
      throw new IllegalArgumentException("gateway.maxInFlightBytesPerNode must be 0 (unbounded) or more");
    }
    this.maxInFlightBytesPerNode = maxInFlightBytesPerNode;
    return this;
  }

  public String getHeartbeatRequest() {
    return heartbeatRequest;
  }

  public GatewayOptions setHeartbeatRequest(String heartbeatRequest) {
    this.heartbeatRequest = heartbeatRequest == null ? "" : heartbeatRequest;
    return this;
  }

  public String getHeartbeatResponse() {
    return heartbeatResponse;
  }

  public GatewayOptions setHeartbeatResponse(String heartbeatResponse) {
    this.heartbeatResponse = heartbeatResponse == null ? "" : heartbeatResponse;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  public GatewayOptions setInstances(int instances) {
    if (instances < 0) {
      throw new IllegalArgumentException("gateway.instances must be 0 (one per event loop) or more, was " + instances);
    }
    this.instances = instances;
    return this;
  }
}
