'use strict';

// WxGatewaySocket: the public API (connect, send, close, events) and what the phone's
// foreground, background and network changes do to the connection. The states and
// their transitions are in socket-machine.js; README "States" describes them for apps.

const { SocketMachine, EVENTS, REVIVABLE_CAUSES, closedError } = require('./socket-machine.js');
const { CloseCodes, validateCloseArgs } = require('./close-codes.js');
const { gatewayError } = require('./errors.js');
const { toWireData, wireLength } = require('./payload.js');

// If the runtime never reports onClose after close(), still finish after this long.
const CLOSE_FALLBACK_MS = 5000;

class WxGatewaySocket extends SocketMachine {
  constructor(options) {
    super(options);
    if (this._opts.autoConnect) this.connect();
  }

  /** 'idle' | 'connecting' | 'open' | 'verifying' | 'waiting' | 'closing' | 'closed' */
  get state() {
    return this._state;
  }

  /** While waiting: what the next attempt waits for ('foreground' | 'network' | 'backoff' | 'slot'); else null. */
  get waitingFor() {
    return this._state === 'waiting' ? this._gate.blocker() : null;
  }

  on(event, fn) {
    this._emitter.on(event, fn);
    return this;
  }

  off(event, fn) {
    this._emitter.off(event, fn);
    return this;
  }

  /** Starts connecting: the first time with `autoConnect: false`, or again after the socket stopped. */
  connect() {
    if (this._state === 'closed') this._revive();
    else if (this._state !== 'idle') return this;
    this._state = 'waiting';
    this._gate.resume();
    return this;
  }

  /**
   * Sends a string, an ArrayBuffer or a typed-array view (its bytes). Resolves once wx
   * accepted the message for sending ("handed to the socket", not "delivered").
   * Until the socket is open (and verified after a background) it waits in the queue.
   */
  send(data) {
    const wire = toWireData(data);
    if (wire === null) return Promise.reject(new TypeError('send() takes a string, an ArrayBuffer or a typed-array view'));
    if (this._state === 'closing' || this._state === 'closed') return Promise.reject(closedError());
    const bytes = wireLength(wire);
    const max = this._opts.maxMessageBytes;
    if (max > 0 && bytes > max) {
      return Promise.reject(gatewayError('MESSAGE_TOO_BIG', 'message of ' + bytes + ' bytes is over maxMessageBytes (' + max + ')'));
    }
    if (this._state === 'open' && this._env.hiddenForMs() > this._opts.suspectAfterBackgroundMs) this._suspect();
    // Only bypass the queue when it is empty, or this message would overtake older ones.
    if (this._state === 'open' && this._queue.size === 0) return this._session.send(this._conn, wire);
    return this._queue.push(wire, bytes);
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
    this._clearTimers();
    this._gate.cancel();
    this._live.stop();
    this._queue.rejectAll(closedError);
    const conn = this._conn;
    this._session.end(conn); // bye (on a welcomed session socket); the token is forgotten
    if (!conn) {
      // Waiting, or fetching a token: there is no socket to close.
      this._finish(closeCode, closeReason, 'client');
      return;
    }
    // Closed at once if open, else as soon as it opens (adapters.js), even after we finished.
    this._drop(conn, closeCode, closeReason);
    this._timerIds.closeFallback = this._timers.setTimeout(() => {
      this._timerIds.closeFallback = null;
      this._finish(closeCode, closeReason, 'client');
    }, CLOSE_FALLBACK_MS);
  }

  // ---- the phone: foreground, background, network -----------------------------

  _handleAppHide() {
    this._session.hidden();
    this._live.stop(); // timers may not run in the background; resume on show
    this._gate.pause(); // the foreground connects at once
  }

  _handleAppShow(hiddenMs) {
    if (this._state === 'waiting') {
      this._gate.resume(); // sockets die in the background: back now, connect now
    } else if (this._state === 'open') {
      if (hiddenMs > this._opts.suspectAfterBackgroundMs) this._suspect();
      else this._live.resume(); // "open" may be a corpse: find out quickly
    } else if (this._state === 'verifying') {
      this._live.probe();
    } else if (this._state === 'closed' && REVIVABLE_CAUSES.indexOf(this._closeCause) !== -1) {
      this.connect();
    }
  }

  _handleNetwork(change) {
    if (!change.online) {
      this._gate.pause();
      this._live.stop();
      this._suspect(); // whatever we write now goes nowhere
      return;
    }
    if (this._state === 'waiting') {
      if (change.cameBack || change.typeChanged) this._gate.resume(); // a network (again): connect at once
    } else if ((change.cameBack || change.typeChanged) && this._conn && this._conn.session && (this._state === 'open' || this._state === 'verifying')) {
      // The old TCP connection is almost surely gone and a resume loses nothing: resume now, not after a probe.
      this._handleLost(this._conn, CloseCodes.IDLE_TIMEOUT, 'network changed', { forceRetry: true, immediately: true, closeWith: CloseCodes.IDLE_TIMEOUT });
    } else if (this._state === 'verifying') {
      this._live.probe();
    } else if (change.typeChanged) {
      this._suspect(); // wifi <-> cellular usually kills the TCP connection silently
    }
  }

  /** The open socket may be dead: queue sends and probe it (or reconnect at once). */
  _suspect() {
    if (this._state !== 'open') return;
    this._state = 'verifying';
    this._live.probe();
  }

}

module.exports = { WxGatewaySocket, EVENTS };
