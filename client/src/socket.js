'use strict';

// WxGatewaySocket: one logical connection to wx-gateway that survives many physical
// sockets. States:
//   idle -> connecting -> open -> (drop) -> waiting -> connecting -> open ...
//   any state -> closing (close() called) -> closed;  a terminal drop -> closed.
// Each physical socket is a `conn` from adapters.js; callbacks from a conn that is no
// longer `this._conn` are stale (an abandoned socket) and are ignored.

const { Emitter } = require('./emitter.js');
const { normalizeOptions, buildRequest } = require('./options.js');
const { createConnection } = require('./adapters.js');
const { SendQueue } = require('./send-queue.js');
const { Heartbeat } = require('./heartbeat.js');
const { backoffDelay } = require('./backoff.js');
const { CloseCodes, shouldReconnect, validateCloseArgs } = require('./close-codes.js');
const { gatewayError, describeFailure } = require('./errors.js');

const EVENTS = ['open', 'message', 'close', 'error', 'reconnecting', 'reconnected'];
// If the runtime never reports onClose after close(), still finish after this long.
const CLOSE_FALLBACK_MS = 5000;

class WxGatewaySocket {
  constructor(options) {
    const opts = normalizeOptions(options);
    this._opts = opts;
    this._wx = opts.wx;
    this._timers = opts.timers;
    this._emitter = new Emitter(EVENTS);
    this._queue = new SendQueue(opts.maxQueue);
    this._heartbeat = new Heartbeat({
      timers: opts.timers,
      intervalMs: opts.heartbeatIntervalMs,
      timeoutMs: opts.heartbeatTimeoutMs,
      sendPing: () => this._sendPing(),
      onTimeout: () => this._handleHeartbeatTimeout()
    });
    this._state = 'idle';
    this._conn = null;
    this._attempt = 0; // reconnects since the last stable connection (drives the backoff)
    this._failedHandshakes = 0; // consecutive connection attempts that never opened
    this._reconnecting = false; // a 'reconnecting' was emitted and no open since
    this._closeRequest = null;
    this._timerIds = { backoff: null, stable: null, closeFallback: null };
    this._onAppShow = () => this._handleAppShow();
    if (typeof this._wx.onAppShow === 'function') this._wx.onAppShow(this._onAppShow);
    if (opts.autoConnect) this.connect();
  }

  /** 'idle' | 'connecting' | 'open' | 'waiting' | 'closing' | 'closed' */
  get state() {
    return this._state;
  }

  on(event, fn) {
    this._emitter.on(event, fn);
    return this;
  }

  off(event, fn) {
    this._emitter.off(event, fn);
    return this;
  }

  /** Starts the first connection; only needed with `autoConnect: false`. */
  connect() {
    if (this._state === 'idle') this._connect();
    return this;
  }

  /**
   * Sends a string or an ArrayBuffer. Resolves when wx reports the send succeeded;
   * while the socket is not open the message waits in the bounded queue.
   */
  send(data) {
    if (typeof data !== 'string' && !isArrayBuffer(data)) {
      return Promise.reject(new TypeError('send() takes a string or an ArrayBuffer'));
    }
    if (this._state === 'closing' || this._state === 'closed') return Promise.reject(closedError());
    // Only bypass the queue when it is empty, or this message would overtake older ones.
    if (this._state === 'open' && this._queue.size === 0) return this._conn.send(data);
    return this._queue.push(data);
  }

  /**
   * Closes for good: no reconnect, pending sends reject with code 'CLOSED'.
   * Throws synchronously on a code or reason the protocol forbids.
   */
  close(code, reason) {
    const closeCode = code === undefined ? CloseCodes.NORMAL : code;
    const closeReason = reason === undefined ? '' : reason;
    validateCloseArgs(closeCode, closeReason);
    if (this._state === 'closing' || this._state === 'closed') return;
    this._state = 'closing';
    this._closeRequest = { code: closeCode, reason: closeReason };
    this._clearTimer('backoff');
    this._clearTimer('stable');
    this._heartbeat.stop();
    this._queue.rejectAll(closedError);
    const conn = this._conn;
    if (!conn) {
      // Waiting for a backoff timer or for getToken: there is no socket to close.
      this._finish(closeCode, closeReason, 'client');
      return;
    }
    // The raw API ignores close() before onOpen, so a connecting socket is closed
    // in _handleOpen instead (or dies on its own and reports onClose).
    if (conn.opened) conn.close(closeCode, closeReason);
    this._timerIds.closeFallback = this._timers.setTimeout(() => {
      this._timerIds.closeFallback = null;
      if (this._conn) this._conn.close(closeCode, closeReason);
      this._finish(closeCode, closeReason, 'client');
    }, CLOSE_FALLBACK_MS);
  }

  // ---- connecting -------------------------------------------------------------

  _connect() {
    this._timerIds.backoff = null;
    this._state = 'connecting';
    if (!this._opts.getToken) {
      this._openSocket(this._opts.token);
      return;
    }
    // Fetch a fresh token before every attempt: the previous one may have expired.
    Promise.resolve()
      .then(() => this._opts.getToken())
      .then((token) => {
        if (typeof token !== 'string') throw new TypeError('getToken() must resolve to a string');
        if (this._state === 'connecting' && !this._conn) this._openSocket(token);
      })
      .catch((err) => {
        if (this._state !== 'connecting' || this._conn) return; // closed meanwhile
        this._emitError('TOKEN_ERROR', 'getToken failed: ' + describeFailure(err, 'unknown error'), err);
        this._handleLost(null, CloseCodes.ABNORMAL, 'getToken failed', false);
      });
  }

  _openSocket(token) {
    const conn = createConnection(this._wx, {
      onOpen: () => this._handleOpen(conn),
      onMessage: (data) => this._handleMessage(conn, data),
      onClose: (code, reason) => this._handleClose(conn, code, reason),
      onError: (res) => this._handleError(conn, res)
    });
    this._conn = conn; // before start(): a synchronous `fail` must find it current
    conn.start(buildRequest(this._opts, token));
  }

  // ---- socket events ----------------------------------------------------------

  _handleOpen(conn) {
    if (conn !== this._conn) {
      conn.close(CloseCodes.NORMAL, ''); // a socket we gave up on opened late: don't leak it
      return;
    }
    this._failedHandshakes = 0;
    if (this._state === 'closing') {
      conn.close(this._closeRequest.code, this._closeRequest.reason);
      return;
    }
    this._state = 'open';
    this._timerIds.stable = this._timers.setTimeout(() => {
      this._timerIds.stable = null;
      this._attempt = 0; // stayed up long enough: the next drop starts the backoff afresh
    }, this._opts.stableAfterMs);
    this._heartbeat.start();
    this._queue.drain((data) => conn.send(data));
    const attempt = this._attempt;
    const wasReconnecting = this._reconnecting;
    this._reconnecting = false;
    this._emitter.emit('open');
    if (wasReconnecting && this._conn === conn && this._state === 'open') {
      this._emitter.emit('reconnected', { attempt: attempt });
    }
  }

  _handleMessage(conn, data) {
    if (conn !== this._conn) return;
    this._heartbeat.activity();
    if (this._opts.heartbeatReply !== null && data === this._opts.heartbeatReply) return;
    this._emitter.emit('message', data);
  }

  _handleError(conn, res) {
    if (conn !== this._conn) return;
    this._emitError('SOCKET_ERROR', describeFailure(res, 'socket error'), res);
    // Before onOpen an error means the handshake failed (refused with 401/403/429,
    // bad domain...). The matching onClose may or may not follow: don't wait for it.
    if (!conn.opened && this._conn === conn) {
      conn.close(CloseCodes.NORMAL, '');
      this._handleLost(conn, CloseCodes.ABNORMAL, describeFailure(res, ''), false);
    }
  }

  _handleClose(conn, code, reason) {
    if (conn !== this._conn) return;
    this._handleLost(conn, code, reason, false);
  }

  _handleHeartbeatTimeout() {
    const conn = this._conn;
    if (!conn || this._state !== 'open') return;
    this._emitError('HEARTBEAT_TIMEOUT', 'no message within ' + this._opts.heartbeatTimeoutMs + ' ms after a ping');
    conn.close(CloseCodes.IDLE_TIMEOUT, 'heartbeat timeout'); // best effort; we don't wait for it
    this._handleLost(conn, CloseCodes.IDLE_TIMEOUT, 'heartbeat timeout', true);
  }

  _handleAppShow() {
    if (this._state === 'waiting') {
      // Sockets die while the app is in the background: back now, connect now.
      this._clearTimer('backoff');
      this._connect();
    } else if (this._state === 'open') {
      this._heartbeat.probe(); // "open" may be a corpse: find out quickly
    }
  }

  // ---- losing a connection ------------------------------------------------------

  /** One physical socket is gone (conn is null when getToken failed). */
  _handleLost(conn, code, reason, forceRetry) {
    this._conn = null;
    this._heartbeat.stop();
    this._clearTimer('stable');
    if (this._state === 'closing') {
      this._finish(code, reason, 'client');
      return;
    }
    const neverOpened = !(conn && conn.opened);
    if (neverOpened) this._failedHandshakes++;
    const cause = this._stopCause(code, neverOpened, forceRetry);
    if (cause) this._finish(code, reason, cause);
    else this._scheduleReconnect();
  }

  /** Why we must stop instead of reconnecting, or null to reconnect. */
  _stopCause(code, neverOpened, forceRetry) {
    const opts = this._opts;
    if (!opts.reconnect) return 'no-reconnect';
    const policy = { terminalCodes: opts.terminalCodes, retryCodes: opts.retryCodes, hasGetToken: Boolean(opts.getToken) };
    if (!forceRetry && !shouldReconnect(code, policy)) return 'terminal-code';
    if (neverOpened && this._failedHandshakes >= opts.maxFailedHandshakes) return 'handshake-failed';
    if (this._attempt >= opts.maxReconnectAttempts) return 'max-attempts';
    return null;
  }

  _scheduleReconnect() {
    const opts = this._opts;
    const delayMs = backoffDelay(this._attempt, opts.backoffBaseMs, opts.backoffCapMs, opts.random);
    this._attempt++;
    this._state = 'waiting';
    this._reconnecting = true;
    // Arm the timer before emitting so a listener calling close() can cancel it.
    this._timerIds.backoff = this._timers.setTimeout(() => this._connect(), delayMs);
    this._emitter.emit('reconnecting', { attempt: this._attempt, delayMs: delayMs });
  }

  _finish(code, reason, cause) {
    if (this._state === 'closed') return;
    this._state = 'closed';
    Object.keys(this._timerIds).forEach((name) => this._clearTimer(name));
    this._heartbeat.stop();
    this._conn = null;
    this._queue.rejectAll(closedError);
    if (typeof this._wx.offAppShow === 'function') this._wx.offAppShow(this._onAppShow);
    this._emitter.emit('close', { code: code, reason: reason, cause: cause });
  }

  // ---- helpers --------------------------------------------------------------------

  _sendPing() {
    // Failures are caught by the heartbeat timeout; don't surface unhandled rejections.
    if (this._conn) this._conn.send(this._opts.heartbeatMessage).catch(() => {});
  }

  _emitError(code, message, detail) {
    this._emitter.emit('error', gatewayError(code, message, detail));
  }

  _clearTimer(name) {
    if (this._timerIds[name] !== null) {
      this._timers.clearTimeout(this._timerIds[name]);
      this._timerIds[name] = null;
    }
  }
}

function closedError() {
  return gatewayError('CLOSED', 'socket is closed');
}

// instanceof fails across realms (and for some mini-program runtimes' buffers).
function isArrayBuffer(value) {
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

module.exports = { WxGatewaySocket, EVENTS };
