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
}>;

export type TokenPlacement = 'header' | 'query' | 'both';

/** Minimal timer functions; inject fakes in tests. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
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
  /** Sub-protocols passed to wx.connectSocket. */
  protocols?: string[];
  /** Extra handshake headers. */
  header?: Record<string, string>;
  /** The wx object; defaults to the global `wx`. */
  wx?: any;
  /** Maximum number of messages queued while not open. Default 100. */
  maxQueue?: number;
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
  /** Consecutive attempts that never open before giving up. Default 5. */
  maxFailedHandshakes?: number;
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
  /** Connect in the constructor. Default true; otherwise call connect(). */
  autoConnect?: boolean;
}

export type CloseCause = 'client' | 'terminal-code' | 'handshake-failed' | 'max-attempts' | 'no-reconnect';

export interface CloseEvent {
  code: number;
  reason: string;
  /** Why the socket stopped for good. */
  cause: CloseCause;
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
  | 'HEARTBEAT_TIMEOUT';

export interface WxGatewayError extends Error {
  code: WxGatewayErrorCode;
  /** Raw wx callback payload or underlying error, when there is one. */
  detail?: unknown;
}

export interface WxGatewaySocketEvents {
  open: () => void;
  message: (data: string | ArrayBuffer) => void;
  close: (event: CloseEvent) => void;
  error: (error: WxGatewayError) => void;
  reconnecting: (event: ReconnectingEvent) => void;
  reconnected: (event: ReconnectedEvent) => void;
}

export type SocketState = 'idle' | 'connecting' | 'open' | 'waiting' | 'closing' | 'closed';

export declare class WxGatewaySocket {
  constructor(options: WxGatewaySocketOptions);
  readonly state: SocketState;
  /** Starts connecting; only needed with autoConnect: false. */
  connect(): this;
  /** Resolves when wx reports the send succeeded; rejects with QUEUE_FULL, CLOSED or SEND_FAILED. */
  send(data: string | ArrayBuffer): Promise<void>;
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
