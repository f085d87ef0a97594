// Type declarations for wx-gateway-client. See README.md for behaviour details.

/** Close codes used by wx-gateway (see the README for what the SDK does on each). */
export declare const CloseCodes: Readonly<{
  NORMAL: 1000;
  GOING_AWAY: 1001;
  ABNORMAL: 1006;
  INVALID_PAYLOAD: 1007;
  POLICY_VIOLATION: 1008;
  MESSAGE_TOO_BIG: 1009;
  INTERNAL_ERROR: 1011;
  TRY_AGAIN_LATER: 1013;
  IDLE_TIMEOUT: 4000;
  TOKEN_EXPIRED: 4001;
  REPLACED: 4002;
  FORBIDDEN: 4003;
  /** wx.session.v1: the gateway could not accept a frame (a bug): terminal. */
  SESSION_PROTOCOL_ERROR: 4400;
  /** wx.session.v1: another socket resumed this session: terminal. */
  RESUMED_ELSEWHERE: 4409;
}>;

export type TokenPlacement = 'header' | 'query' | 'both';

/** Minimal timer functions; inject fakes in tests. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/**
 * The part of the mini-program `wx` object the SDK uses. Structural, so the global `wx`
 * (typed by miniprogram-api-typings as `WechatMiniprogram.Wx`) fits without this
 * package depending on those typings.
 */
export interface WxLike {
  connectSocket(options: any): any;
  onAppShow?(listener: (res: any) => void): void;
  offAppShow?(listener: (res: any) => void): void;
  onAppHide?(listener: (res: any) => void): void;
  offAppHide?(listener: (res: any) => void): void;
  onNetworkStatusChange?(listener: (res: { isConnected: boolean; networkType: string }) => void): void;
  offNetworkStatusChange?(listener: (res: { isConnected: boolean; networkType: string }) => void): void;
  getNetworkType?(options: { success?: (res: { networkType: string }) => void }): void;
  /** Storage for the session's resume token (so a reloaded page resumes). */
  getStorageSync?(key: string): any;
  setStorageSync?(key: string, value: any): void;
  removeStorageSync?(key: string): void;
  /** The legacy global socket API (base library < 1.7.0). */
  onSocketOpen?(listener: (res: any) => void): void;
  onSocketMessage?(listener: (res: any) => void): void;
  onSocketClose?(listener: (res: any) => void): void;
  onSocketError?(listener: (res: any) => void): void;
  sendSocketMessage?(options: any): void;
  closeSocket?(options: any): void;
}

export interface WxGatewaySocketOptions {
  /** ws:// or wss:// URL of the gateway, e.g. 'wss://gw.example.com/ws'. */
  url: string;
  /** Static token. Ignored when getToken is set. */
  token?: string;
  /** Where the token goes: 'Authorization: Bearer' header, query parameter, or both. Default 'both'. */
  tokenIn?: TokenPlacement;
  /** Query parameter name for the token. Default 'token'. */
  tokenQueryParam?: string;
  /** Called before every connection attempt (including the first) to fetch a fresh token. */
  getToken?: () => Promise<string> | string;
  /** A getToken that has not settled after this many ms fails the attempt (retried); 0: no limit. Default 10000. */
  getTokenTimeoutMs?: number;
  /** Sub-protocols passed to wx.connectSocket. */
  protocols?: string[];
  /** Extra handshake headers. */
  header?: Record<string, string>;
  /** Passed to wx.connectSocket when set (base library 2.4.0+). */
  tcpNoDelay?: boolean;
  /** Passed to wx.connectSocket when set (base library 2.8.0+). */
  perMessageDeflate?: boolean;
  /** Handshake timeout in ms, passed to wx.connectSocket when set (base library 2.10.0+). */
  timeout?: number;
  /** Passed to wx.connectSocket when set: use the cellular network even on Wi-Fi (base library 2.29.0+). */
  forceCellularNetwork?: boolean;
  /** The wx object; defaults to the global `wx`. */
  wx?: WxLike;
  /** Maximum number of messages queued while not open. Default 100. */
  maxQueue?: number;
  /** Maximum bytes queued while not open; past it send rejects with QUEUE_FULL; 0: no byte bound. Default 1048576. */
  maxQueueBytes?: number;
  /** Reject larger messages with MESSAGE_TOO_BIG before sending (set it to the gateway's maxMessageBytes); 0: no check. Default 0. */
  maxMessageBytes?: number;
  /** Reconnect automatically after retryable closes. Default true. */
  reconnect?: boolean;
  /** Backoff base in ms. Default 500. */
  backoffBaseMs?: number;
  /** Backoff cap in ms. Default 30000. */
  backoffCapMs?: number;
  /** Maximum reconnects since the last stable connection. Default Infinity. */
  maxReconnectAttempts?: number;
  /** A connection open this long resets the backoff attempt counter. Default 10000. */
  stableAfterMs?: number;
  /** Consecutive attempts that never open before giving up. Default Infinity (never give up). */
  maxFailedHandshakes?: number;
  /** Back from a background longer than this (ms), an open socket is suspect: sends wait for the probe. Default 3000. */
  suspectAfterBackgroundMs?: number;
  /** How long a suspect socket has to answer the probe before it is replaced; 0: replace at once. Default 5000. */
  probeTimeoutMs?: number;
  /** Interval between heartbeat pings in ms; 0 disables. Default 20000. */
  heartbeatIntervalMs?: number;
  /** Reconnect when no message arrives this long after a ping. Default 10000. */
  heartbeatTimeoutMs?: number;
  /** Heartbeat text message. Default 'ping'. */
  heartbeatMessage?: string;
  /** Heartbeat reply, swallowed (not emitted as 'message'); null emits it. Default 'pong'. */
  heartbeatReply?: string | null;
  /** Close codes that stop the socket (override the defaults). */
  terminalCodes?: number[];
  /** Close codes that reconnect (override the defaults; wins over terminalCodes). */
  retryCodes?: number[];
  /** Random number source in [0, 1) for the backoff jitter. Default Math.random. */
  random?: () => number;
  /** Timer functions. Default the global setTimeout/clearTimeout. */
  timers?: Timers;
  /** Milliseconds clock (measures time in the background). Default Date.now. */
  clock?: () => number;
  /** Connect in the constructor. Default true; otherwise call connect(). */
  autoConnect?: boolean;
  /**
   * Speak the session protocol wx.session.v1 (resume, replay, dedupe, acks). Default true;
   * false is the raw protocol exactly as before (the app's protocols untouched, ping/pong).
   * A gateway that does not echo the subprotocol gets a raw socket either way.
   */
  session?: boolean;
  /** Storage key of the resume token; null keeps it in memory only. Default 'wxgw.session:' + url without its query. */
  sessionStorageKey?: string | null;
  /** A stored token older than this (ms) is not presented (the gateway's resume window). Default 120000. */
  sessionResumeWindowMs?: number;
  /** A session socket without a welcome this long (ms) after hello is replaced; 0: no limit. Default 10000. */
  welcomeTimeoutMs?: number;
  /** Delivered pushes are acknowledged at most this long (ms) after they arrived. Default 100. */
  ackIntervalMs?: number;
  /** ...or as soon as this many acknowledgements wait. Default 100. */
  ackBatchSize?: number;
  /** How many push positions are remembered to drop replayed duplicates; 0: none. Default 10000. */
  maxSeenPositions?: number;
}

export type CloseCause = 'client' | 'terminal-code' | 'refused' | 'handshake-failed' | 'max-attempts' | 'no-reconnect';

export interface CloseEvent {
  code: number;
  reason: string;
  /** Why the socket stopped for good. */
  cause: CloseCause;
  /** The HTTP status of the last failed handshake, when its errMsg named one (401, 403 for 'refused'). */
  status?: number;
}

export interface OpenEvent {
  /** Handshake response headers, as onOpen reports them (may be empty). */
  header: Record<string, string>;
  /** The negotiated subprotocol (Sec-WebSocket-Protocol), '' when none. */
  protocol: string;
  /** onOpen's connection timing profile, on base libraries that report one. */
  profile?: Record<string, number>;
  /** The session of this socket (wx.session.v1), null on a raw socket. */
  session: SessionInfo | null;
  /**
   * Why this socket is raw, null on a session socket: 'disabled' (session: false),
   * 'not-echoed' (the gateway did not echo wx.session.v1), 'handshake-rejected' (the
   * runtime failed the handshake for want of an echo; later attempts no longer offer it).
   */
  rawReason: 'disabled' | 'not-echoed' | 'handshake-rejected' | null;
}

export interface SessionInfo {
  id: string;
  connectionId: string;
  /** true when this socket resumed the session (a 'recovered' event follows the replay). */
  resumed: boolean;
}

/**
 * After a resume: recovered true when every missed push was replayed. recovered false
 * (a refused resume: a new session; or a replay that could not fill the gap): pushes
 * were lost, the page must reload its state.
 */
export interface RecoveredEvent {
  recovered: boolean;
  /** Pushes replayed (duplicates the app had already seen included, but not re-delivered). */
  replayed: number;
  /** Why not recovered, e.g. 'session-expired', 'token-invalid', 'history-evicted'. */
  reason?: string;
}

/** A message's place in the session, on session sockets (undefined on raw ones). */
export interface MessageInfo {
  /** '<partition>:<offset>' in wx.outbound, unique per push. */
  position: string | null;
  /** The push's ce_id. */
  id?: string;
  /** Replayed after a resume. */
  replay: boolean;
}

export interface ReconnectingEvent {
  /** 1 for the first reconnect since the last stable connection. */
  attempt: number;
  delayMs: number;
}

export interface ReconnectedEvent {
  attempt: number;
}

export type WxGatewayErrorCode =
  | 'QUEUE_FULL'
  | 'CLOSED'
  | 'SEND_FAILED'
  | 'SOCKET_ERROR'
  | 'TOKEN_ERROR'
  | 'HEARTBEAT_TIMEOUT'
  | 'MESSAGE_TOO_BIG'
  | 'SESSION_ERROR'
  | 'UNCONFIRMED_DROPPED';

/** What a SOCKET_ERROR's errMsg says: 'refused' is HTTP 401/403, 'rejected' another status. */
export type FailureKind = 'refused' | 'rejected' | 'socket-limit' | 'network' | 'unknown';

export interface WxGatewayError extends Error {
  code: WxGatewayErrorCode;
  /** Raw wx callback payload or underlying error, when there is one. */
  detail?: unknown;
  /** SOCKET_ERROR only. */
  kind?: FailureKind;
  /** SOCKET_ERROR only: the HTTP status named by errMsg, or null. */
  status?: number | null;
}

export interface WxGatewaySocketEvents {
  open: (event: OpenEvent) => void;
  message: (data: string | ArrayBuffer, info?: MessageInfo) => void;
  close: (event: CloseEvent) => void;
  error: (error: WxGatewayError) => void;
  reconnecting: (event: ReconnectingEvent) => void;
  reconnected: (event: ReconnectedEvent) => void;
  /** A new session began (first connect, or a refused resume). */
  session: (event: SessionInfo) => void;
  recovered: (event: RecoveredEvent) => void;
}

export type SocketState = 'idle' | 'connecting' | 'open' | 'verifying' | 'waiting' | 'closing' | 'closed';

export type WaitingFor = 'foreground' | 'network' | 'backoff' | 'slot';

export declare class WxGatewaySocket {
  constructor(options: WxGatewaySocketOptions);
  readonly state: SocketState;
  /** While state is 'waiting': what the next attempt waits for; otherwise null. */
  readonly waitingFor: WaitingFor | null;
  /** Starts connecting: with autoConnect: false, or again after the socket stopped for good. */
  connect(): this;
  /**
   * Resolves when wx accepted the message for sending: handed to the socket, not delivered.
   * A typed-array view sends exactly its bytes. Rejects with QUEUE_FULL, CLOSED,
   * MESSAGE_TOO_BIG or SEND_FAILED.
   */
  send(data: string | ArrayBuffer | ArrayBufferView): Promise<void>;
  /**
   * Closes for good. Throws RangeError/TypeError for a code other than 1000 or 3000-4999
   * or a reason longer than 123 UTF-8 bytes.
   */
  close(code?: number, reason?: string): void;
  on<E extends keyof WxGatewaySocketEvents>(event: E, listener: WxGatewaySocketEvents[E]): this;
  off<E extends keyof WxGatewaySocketEvents>(event: E, listener: WxGatewaySocketEvents[E]): this;
}

export declare function createSocket(options: WxGatewaySocketOptions): WxGatewaySocket;

/** Whether the SDK reconnects after a close with this code. */
export declare function shouldReconnect(
  code: number,
  policy?: { terminalCodes?: number[]; retryCodes?: number[]; hasGetToken?: boolean }
): boolean;

/** Number of bytes of `text` in UTF-8. */
export declare function utf8ByteLength(text: string): number;

/** Full-jitter backoff: random(0, min(cap, base * 2^attempt)). */
export declare function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number;
