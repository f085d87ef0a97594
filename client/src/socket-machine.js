'use strict';

// The state machine of WxGatewaySocket (socket.js adds the public API and the phone's
// events on top). One logical connection that survives many physical sockets:
//   idle -> connecting -> open <-> verifying      (verifying: open but suspect, sends wait)
//   connecting | open | verifying -> (drop) -> waiting -> connecting ...
//   any state -> closing (close() called) -> closed;  a refusal or terminal drop -> closed
//   closed -> waiting -> connecting (connect(), or onAppShow after a configured limit)
// `waiting` lasts until nothing blocks the next attempt (reconnect-gate.js): the app in
// the foreground, the network up, the backoff delay over, a free socket slot.
// With wx.session.v1 (session.js) a socket stays `connecting` after onOpen until the welcome.
// Each physical socket is a `conn` from adapters.js; callbacks from a conn that is no
// longer `this._conn` are stale (an abandoned socket) and are ignored.

const { Emitter } = require('./emitter.js');
const { normalizeOptions, buildRequest } = require('./options.js');
const { createConnection } = require('./adapters.js');
const { poolFor } = require('./task-pool.js');
const { Environment } = require('./environment.js');
const { SendQueue } = require('./send-queue.js');
const { Liveness } = require('./liveness.js');
const { ReconnectGate } = require('./reconnect-gate.js');
const { CloseCodes, shouldReconnect } = require('./close-codes.js');
const { gatewayError, describeFailure } = require('./errors.js');
const { classifyFailure } = require('./failures.js');
const { fetchToken } = require('./token.js');
const { openEvent } = require('./open-event.js');
const { SessionProtocol } = require('./session.js');

const EVENTS = ['open', 'message', 'close', 'error', 'reconnecting', 'reconnected', 'session', 'recovered'];
// Limits the app configured, not refusals: coming back to the foreground tries again.
const REVIVABLE_CAUSES = ['handshake-failed', 'max-attempts'];
const TIMERS = ['stable', 'closeFallback'];

class SocketMachine {
  constructor(options) {
    const opts = normalizeOptions(options);
    this._opts = opts;
    this._timers = opts.timers;
    this._emitter = new Emitter(EVENTS);
    this._queue = new SendQueue(opts.maxQueue, opts.maxQueueBytes);
    this._env = new Environment(opts.wx, opts.clock, {
      show: (hiddenMs) => this._handleAppShow(hiddenMs),
      hide: () => this._handleAppHide(),
      network: (change) => this._handleNetwork(change)
    });
    this._live = new Liveness({
      opts: opts,
      env: this._env,
      sendPing: () => this._sendPing(),
      onDead: (why, suspect) => this._giveUpSilent(why, suspect)
    });
    this._session = new SessionProtocol({
      opts: opts,
      emit: (name, payload, extra) => this._emitter.emit(name, payload, extra),
      welcomed: (conn, session) => this._markOpen(conn, session),
      dead: (conn, why) => this._sessionDead(conn, why),
      awaiting: (conn) => conn === this._conn && this._state === 'connecting'
    });
    this._openInfo = null; // onOpen's event, emitted as 'open' once the socket is usable
    this._pool = poolFor(opts.wx);
    this._gate = new ReconnectGate({ opts: opts, env: this._env, pool: this._pool, attempt: () => this._connect() });
    this._state = 'idle';
    this._conn = null;
    this._attemptId = 0; // identifies the current attempt, so a late getToken result is ignored
    this._failedHandshakes = 0; // consecutive connection attempts that never opened
    this._reconnecting = false; // a 'reconnecting' was emitted and no open since
    this._closeCause = null; // why the socket stopped for good
    this._timerIds = {};
    TIMERS.forEach((name) => { this._timerIds[name] = null; });
    this._env.attach();
  }

  // ---- connecting -------------------------------------------------------------

  _connect() {
    if (this._state !== 'waiting') return;
    this._gate.cancel();
    this._state = 'connecting';
    const id = ++this._attemptId;
    if (!this._opts.getToken) {
      this._openSocket(this._opts.token);
      return;
    }
    // Fetch a fresh token before every attempt: the previous one may have expired.
    fetchToken(this._opts, (err, token) => {
      if (id !== this._attemptId || this._state !== 'connecting' || this._conn) return; // closed or timed out meanwhile
      if (!err) {
        this._openSocket(token);
        return;
      }
      this._handleLost(null, CloseCodes.ABNORMAL, 'getToken failed', {});
      this._emitError('TOKEN_ERROR', 'getToken failed: ' + describeFailure(err, 'unknown error'), err);
    });
  }

  _openSocket(token) {
    const conn = createConnection(this._opts.wx, this._pool, {
      onOpen: (res) => this._handleOpen(conn, res),
      onMessage: (data) => this._handleMessage(conn, data),
      onClose: (code, reason) => this._handleClose(conn, code, reason),
      onError: (res) => this._handleError(conn, res)
    });
    this._conn = conn; // before start(): a synchronous `fail` must find it current
    conn.start(buildRequest(this._opts, token, this._session.protocols(this._opts.protocols)));
  }

  // ---- socket events ----------------------------------------------------------

  _handleOpen(conn, res) {
    if (conn !== this._conn) return;
    this._openInfo = openEvent(res);
    // A session socket is usable once welcomed (session.js calls _markOpen); a raw one now.
    if (!this._session.accept(conn, this._openInfo.protocol)) this._markOpen(conn, null);
  }

  /** The socket is usable: open (session: the welcome's, null on a raw socket). */
  _markOpen(conn, session) {
    this._failedHandshakes = 0;
    this._state = 'open';
    this._timerIds.stable = this._timers.setTimeout(() => {
      this._timerIds.stable = null;
      this._gate.attempt = 0; // stayed up long enough: the next drop starts the backoff afresh
    }, this._opts.stableAfterMs);
    this._becomeUsable(conn);
    const attempt = this._gate.attempt;
    const wasReconnecting = this._reconnecting;
    this._reconnecting = false;
    const info = this._openInfo;
    info.session = session;
    info.rawReason = session ? null : this._session.rawReason;
    this._emitter.emit('open', info);
    if (wasReconnecting && this._conn === conn && this._state === 'open') {
      this._emitter.emit('reconnected', { attempt: attempt });
    }
  }

  /** Open and trusted: heartbeat on (unless in the background), queue out. */
  _becomeUsable(conn) {
    this._live.trust();
    this._queue.drain((data) => this._session.send(conn, data));
  }

  _handleMessage(conn, data) {
    if (conn !== this._conn) return;
    this._live.activity();
    if (this._state === 'verifying') {
      this._state = 'open'; // any message proves the socket alive again
      this._becomeUsable(conn);
    }
    if (conn.session) this._session.receive(conn, data);
    else if (this._opts.heartbeatReply === null || data !== this._opts.heartbeatReply) this._emitter.emit('message', data);
  }

  _handleError(conn, res) {
    if (conn !== this._conn) return;
    const failure = classifyFailure(res, this._env.online);
    if (!conn.opened && this._session.handshakeRejected(describeFailure(res, ''), failure.status)) {
      this._retryRaw(conn); // no wx.session.v1 here: at once, without offering it
      return;
    }
    // Before onOpen an error means the handshake failed (refused with 401/403/429,
    // no network, bad domain...). The matching onClose may or may not follow: don't wait.
    if (!conn.opened) this._handleLost(conn, CloseCodes.ABNORMAL, describeFailure(res, ''), { failure: failure });
    const err = gatewayError('SOCKET_ERROR', describeFailure(res, 'socket error'), res);
    err.kind = failure.kind;
    err.status = failure.status;
    this._emitter.emit('error', err); // after the state changed: a listener's send() is queued
  }

  _handleClose(conn, code, reason) {
    if (conn !== this._conn) return;
    this._handleLost(conn, code, reason, {});
  }

  /** The socket looks open but answers nothing: give it up and reconnect. */
  _giveUpSilent(why, immediately) {
    const conn = this._conn;
    if (!conn || (this._state !== 'open' && this._state !== 'verifying')) return;
    this._handleLost(conn, CloseCodes.IDLE_TIMEOUT, 'heartbeat timeout', { forceRetry: true, immediately: immediately, closeWith: CloseCodes.IDLE_TIMEOUT });
    this._emitError('HEARTBEAT_TIMEOUT', why); // after the state changed: a listener's send() is queued
  }

  /** Said hello, no welcome: give the socket up and reconnect (the session may resume). */
  _sessionDead(conn, why) {
    if (conn !== this._conn || this._state !== 'connecting') return;
    this._handleLost(conn, CloseCodes.IDLE_TIMEOUT, why, { forceRetry: true, closeWith: CloseCodes.IDLE_TIMEOUT });
    this._emitError('SESSION_ERROR', why);
  }

  /** Not a failure: the next attempt starts now, not counted, and raw. */
  _retryRaw(conn) {
    this._drop(conn, CloseCodes.NORMAL, '');
    this._conn = null;
    this._state = 'waiting';
    this._gate.resume();
  }

  // ---- losing a connection ------------------------------------------------------

  /** One physical socket is gone (conn is null when getToken failed). */
  _handleLost(conn, code, reason, how) {
    if (conn) this._drop(conn, how.closeWith || CloseCodes.NORMAL, how.closeWith ? reason : '');
    this._conn = null;
    this._live.stop();
    this._session.lost(conn);
    this._clearTimer('stable');
    if (this._state === 'closing') {
      this._finish(code, reason, 'client');
      return;
    }
    const neverOpened = !(conn && conn.opened);
    if (neverOpened) this._failedHandshakes++;
    const cause = this._stopCause(code, neverOpened, how);
    if (cause) this._finish(code, reason, cause, how.failure);
    else this._scheduleReconnect(how.immediately);
  }

  /** Why we must stop instead of reconnecting, or null to reconnect. */
  _stopCause(code, neverOpened, how) {
    const opts = this._opts;
    if (!opts.reconnect) return 'no-reconnect';
    if (how.failure && how.failure.kind === 'refused') return 'refused';
    const policy = { terminalCodes: opts.terminalCodes, retryCodes: opts.retryCodes, hasGetToken: Boolean(opts.getToken) };
    if (!how.forceRetry && !shouldReconnect(code, policy)) return 'terminal-code';
    if (neverOpened && this._failedHandshakes >= opts.maxFailedHandshakes) return 'handshake-failed';
    if (this._gate.attempt >= opts.maxReconnectAttempts) return 'max-attempts';
    return null;
  }

  _scheduleReconnect(immediately) {
    this._state = 'waiting';
    this._reconnecting = true;
    // Armed before emitting so a listener calling close() can cancel it.
    const delayMs = this._gate.schedule(immediately);
    this._emitter.emit('reconnecting', { attempt: this._gate.attempt, delayMs: delayMs });
  }

  _finish(code, reason, cause, failure) {
    if (this._state === 'closed') return;
    this._state = 'closed';
    this._closeCause = cause;
    this._clearTimers();
    this._gate.cancel();
    this._live.stop();
    if (this._conn) this._drop(this._conn, CloseCodes.NORMAL, ''); // close() already asked; idempotent
    this._conn = null;
    this._queue.rejectAll(closedError);
    this._env.detach(REVIVABLE_CAUSES.indexOf(cause) !== -1);
    const event = { code: code, reason: reason, cause: cause };
    if (failure && failure.status !== null) event.status = failure.status;
    this._emitter.emit('close', event);
  }

  _revive() {
    this._gate.attempt = 0;
    this._failedHandshakes = 0;
    this._reconnecting = false;
    this._closeCause = null;
    this._env.attach();
  }

  // ---- helpers --------------------------------------------------------------------

  /** We are done with conn: close it (now or when it opens) and start its slot's grace period. */
  _drop(conn, code, reason) {
    conn.close(code, reason);
    this._pool.abandon(conn, this._opts.clock());
  }

  _sendPing() {
    // Failures are caught by the heartbeat timeout; don't surface unhandled rejections.
    if (this._conn && !this._session.ping(this._conn)) this._conn.send(this._opts.heartbeatMessage).catch(() => {});
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

  _clearTimers() {
    TIMERS.forEach((name) => this._clearTimer(name));
  }
}

function closedError() {
  return gatewayError('CLOSED', 'socket is closed');
}

module.exports = { SocketMachine, EVENTS, REVIVABLE_CAUSES, closedError };
