package io.wxgateway.common.options;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * Options of the WebSocket gateway role, {@code gateway}, with its sections tls, auth, handshake, socket and
 * session.
 */
@DataObject
@JsonGen(publicConverter = false)
public class GatewayOptions {

  /** The address the WebSocket port binds; 0.0.0.0: every interface. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The WebSocket port, 0..65535; 0 binds a free port (tests). */
  public static final int DEFAULT_PORT = 8080;
  /** The path sockets upgrade on; starts with '/'. */
  public static final String DEFAULT_PATH = "/ws";
  /** Bytes, at least 1; a larger message, also when fragmented, closes the socket with 1009. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  /**
   * Produce requests one socket may have in flight before the gateway stops reading from it (TCP
   * backpressure); it reads again when half of them are acknowledged. At least 1.
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
  private SessionOptions session = new SessionOptions();

  public GatewayOptions() {
  }

  /** A copy as it is (the nested sections are read back through their JSON constructors, so checked). */
  public GatewayOptions(GatewayOptions other) {
    GatewayOptionsConverter.fromJson(other.toJson(), this);
  }

  /** Reads the keys present (the others keep their defaults) and refuses what breaks a rule. */
  public GatewayOptions(JsonObject json) {
    GatewayOptionsConverter.fromJson(json, this);
    validate();
  }

  public JsonObject toJson() {
    // nodeId first and even when null: the launcher's list of settings (--help, WXGW_GATEWAY_NODE_ID)
    // is read off these keys, and the converter leaves null values out.
    JsonObject json = new JsonObject().put("nodeId", nodeId);
    GatewayOptionsConverter.toJson(this, json);
    return json;
  }

  /** Refuses options that break a rule of {@link OptionsValidator}, naming the setting; also checks the sections. */
  public GatewayOptions validate() {
    OptionsValidator.validate(this);
    return this;
  }

  /** This node's id, part of every connection id it issues; null until the launcher assigns one. */
  public String getNodeId() {
    return nodeId;
  }

  public GatewayOptions setNodeId(String nodeId) {
    this.nodeId = nodeId;
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

  public GatewayOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getPath() {
    return path;
  }

  public GatewayOptions setPath(String path) {
    this.path = path;
    return this;
  }

  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public GatewayOptions setMaxMessageBytes(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  public int getMaxInFlightPerConnection() {
    return maxInFlightPerConnection;
  }

  public GatewayOptions setMaxInFlightPerConnection(int maxInFlightPerConnection) {
    this.maxInFlightPerConnection = maxInFlightPerConnection;
    return this;
  }

  public long getMaxInFlightBytesPerNode() {
    return maxInFlightBytesPerNode;
  }

  public GatewayOptions setMaxInFlightBytesPerNode(long maxInFlightBytesPerNode) {
    this.maxInFlightBytesPerNode = maxInFlightBytesPerNode;
    return this;
  }

  public String getHeartbeatRequest() {
    return heartbeatRequest;
  }

  public GatewayOptions setHeartbeatRequest(String heartbeatRequest) {
    this.heartbeatRequest = Values.text(heartbeatRequest);
    return this;
  }

  public String getHeartbeatResponse() {
    return heartbeatResponse;
  }

  public GatewayOptions setHeartbeatResponse(String heartbeatResponse) {
    this.heartbeatResponse = Values.text(heartbeatResponse);
    return this;
  }

  public int getInstances() {
    return instances;
  }

  public GatewayOptions setInstances(int instances) {
    this.instances = instances;
    return this;
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

  public SessionOptions getSession() {
    return session;
  }

  public GatewayOptions setSession(SessionOptions session) {
    this.session = session;
    return this;
  }
}
