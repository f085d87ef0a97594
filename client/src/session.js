'use strict';

// The session protocol wx.session.v1 (docs/sessions.md) on top of the physical sockets
// of one WxGatewaySocket: offering the subprotocol, `hello` (with the resume token),
// the welcome, pushes (deduplicated by position, acknowledged in batches), `recovered`,
// `hb`, `bye`. A socket on which the gateway did not echo the subprotocol is a raw
// socket, exactly as without sessions. Every method is called from the socket's
// callbacks (the mini program's one JS thread); `conn` is the physical socket
// (adapters.js), marked `conn.session = true` once negotiated.

const { PROTOCOL, encodeFrame, decodeFrame } = require('./frames.js');
const { SeenPositions } = require('./seen-positions.js');
const { AckBatcher } = require('./ack-batcher.js');
const { Outbox } = require('./outbox.js');
const { wireLength } = require('./payload.js');
const { TokenStore } = require('./token-store.js');
const { gatewayError } = require('./errors.js');

const HELLO = { t: 'hello', v: 1 };
const HB = encodeFrame({ t: 'hb' });
const BYE = encodeFrame({ t: 'bye' });
// How runtimes word a handshake failed for want of an echoed subprotocol (ws; Chromium).
const NO_ECHO_FAILURE = /subprotocol|sec-websocket-protocol/i;

class SessionProtocol {
  /**
   * @param {{opts: object, emit: (name: string, payload: *, extra?: *) => void,
   *          welcomed: (conn: object, session: object) => void,
   *          dead: (conn: object, why: string) => void, awaiting: (conn: object) => boolean}} deps
   *   awaiting(conn): conn is the socket being connected (a welcome on it opens it)
   */
  constructor(deps) {
    const opts = deps.opts;
    this._opts = opts;
    this._emit = deps.emit;
    this._welcomed = deps.welcomed;
    this._dead = deps.dead;
    this._awaiting = deps.awaiting;
    this._offer = opts.session; // false after a handshake failed for the subprotocol
    this.rawReason = opts.session ? null : 'disabled';
    this._seen = new SeenPositions(opts.maxSeenPositions);
    this._tokens = new TokenStore({ wx: opts.wx, clock: opts.clock, key: storageKey(opts), maxAgeMs: opts.sessionResumeWindowMs });
    this._conn = null; // the welcomed socket acks go to
    this._outbox = new Outbox(opts.maxQueue, opts.maxQueueBytes, opts.random);
    this._confirms = false; // the welcoming gateway confirms messages with `got`
    this._presented = null; // the token the pending hello presented
    this._welcomeTimer = null;
    this._acks = new AckBatcher({
      timers: opts.timers,
      intervalMs: opts.ackIntervalMs,
      batchSize: opts.ackBatchSize,
      send: (positions) => this._sendAcks(positions)
    });
  }

  /** The subprotocols to ask for: ours first, so the gateway picks it over the app's. */
  protocols(appProtocols) {
    if (!this._offer) return appProtocols;
    return [PROTOCOL].concat((appProtocols || []).filter((p) => p !== PROTOCOL));
  }

  /**
   * onOpen: did the gateway echo our subprotocol? If so, say hello and wait for the
   * welcome (true); if not, conn is a raw socket (false, and `rawReason` says why).
   */
  accept(conn, protocol) {
    if (!this._offer) return false;
    if (protocol !== PROTOCOL) {
      this.rawReason = 'not-echoed';
      return false;
    }
    this.rawReason = null;
    conn.session = true;
    this._presented = this._tokens.get();
    const hello = this._presented ? Object.assign({}, HELLO, { resume: this._presented }) : HELLO;
    conn.send(encodeFrame(hello)).catch(() => {}); // a failed send ends in onClose or the welcome timeout
    const timeoutMs = this._opts.welcomeTimeoutMs;
    if (timeoutMs > 0) {
      this._welcomeTimer = this._opts.timers.setTimeout(() => {
        this._welcomeTimer = null;
        this._dead(conn, 'no welcome within ' + timeoutMs + ' ms after hello');
      }, timeoutMs);
    }
    return true;
  }

  /**
   * A connection attempt failed before onOpen. When the runtime says it was for want of
   * an echoed subprotocol (some fail the handshake instead of opening), or the gateway
   * answered 400 (it refuses unknown subprotocols), stop offering it and return true:
   * the caller retries at once, raw. A 400 for another reason comes back raw, as before.
   */
  handshakeRejected(errMsg, status) {
    // 400: a gateway without sessions that refuses handshakes offering only unknown subprotocols.
    if (!this._offer || !(status === 400 || NO_ECHO_FAILURE.test(errMsg || ''))) return false;
    this._offer = false;
    this.rawReason = 'handshake-rejected';
    return true;
  }

  /**
   * An app message (string or ArrayBuffer) on conn: wrapped in `msg` on a session socket,
   * with an id kept until confirmed when the gateway confirms messages.
   */
  send(conn, data) {
    if (!conn.session) return conn.send(data);
    if (!this._confirms) return conn.send(encodeFrame({ t: 'msg' }, data));
    const kept = this._outbox.add(data, wireLength(data));
    if (kept.forgotten > 0) {
      this._emit('error', gatewayError('UNCONFIRMED_DROPPED', kept.forgotten + ' unconfirmed message(s) forgotten: more than maxQueue / maxQueueBytes waited for the gateway'));
    }
    return conn.send(encodeFrame({ t: 'msg', id: kept.id }, data));
  }

  /** The heartbeat: `hb` on a session socket; returns false on a raw one. */
  ping(conn) {
    if (!conn.session) return false;
    conn.send(HB).catch(() => {});
    return true;
  }

  /** A message on a session socket. */
  receive(conn, data) {
    const frame = decodeFrame(data);
    if (frame === null) {
      this._emit('error', gatewayError('SESSION_ERROR', 'a frame that is not a wx.session.v1 header line was ignored'));
      return;
    }
    const header = frame.header;
    if (header.t === 'welcome') this._welcome(conn, header);
    else if (this._conn !== conn) return; // nothing but the welcome counts before it
    else if (header.t === 'push') this._push(header, frame.body);
    else if (header.t === 'got') this._outbox.confirm(Array.isArray(header.ids) ? header.ids : []);
    else if (header.t === 'recovered') this._emit('recovered', recoveredEvent(header.recovered === true, header.reason, header.replayed));
    // `hb` proved the link alive (the caller saw activity); unknown types: a newer gateway
  }

  /** conn is gone: acks wait for the next socket, the stored token stays resumable. */
  lost(conn) {
    if (this._conn === conn) this._conn = null;
    if (conn) this._clearWelcomeTimer();
    this._acks.pause();
    this._tokens.touch();
  }

  /** The app is leaving the foreground: note that the session is still resumable now. */
  hidden() {
    this._tokens.touch();
  }

  /** The app closes for good: acknowledge what it has, say bye, forget the token. */
  end(conn) {
    if (conn && this._conn === conn) {
      this._acks.flush();
      conn.send(BYE).catch(() => {});
    }
    this._conn = null;
    this._clearWelcomeTimer();
    this._acks.clear();
    this._outbox.clear();
    this._tokens.clear();
  }

  // ---- frames from the gateway ----------------------------------------------------

  _welcome(conn, header) {
    if (!this._awaiting(conn) || typeof header.token !== 'string' || typeof header.session !== 'string') return;
    this._clearWelcomeTimer();
    this._tokens.set(header.token);
    const resumed = header.resumed === true;
    const refused = !resumed && this._presented !== null;
    this._presented = null;
    this._conn = conn;
    if (resumed) this._acks.flush(); // what the app got before the drop
    else this._acks.clear(); // they belonged to a session that is gone
    this._confirms = header.confirms === true;
    this._resend(conn);
    const session = { id: header.session, connectionId: header.connectionId, resumed: resumed };
    this._welcomed(conn, session);
    if (this._conn !== conn) return; // a listener closed the socket
    if (!resumed) this._emit('session', session);
    if (refused) this._emit('recovered', recoveredEvent(false, header.reason || 'not-resumed', 0));
  }

  _push(header, body) {
    const position = typeof header.p === 'string' ? header.p : null;
    if (position !== null) {
      this._acks.add(position); // also a duplicate: the gateway replayed it for want of an ack
      if (!this._seen.add(position)) return;
    }
    this._emit('message', body, { position: position, id: header.id, replay: header.replay === true });
  }

  /**
   * Messages not confirmed on the last socket go again, before anything queued, resumed or
   * not (the app sent them; a new session still wants them). A gateway that does not
   * confirm (an older node in a rolling upgrade) gets none: it could not say which arrived.
   */
  _resend(conn) {
    if (!this._confirms) {
      this._outbox.clear();
      return;
    }
    this._outbox.unconfirmed().forEach(([id, data]) => conn.send(encodeFrame({ t: 'msg', id: id }, data)).catch(() => {}));
  }

  _sendAcks(positions) {
    if (!this._conn) return false;
    this._conn.send(encodeFrame({ t: 'ack', p: positions })).catch(() => {});
    return true;
  }

  _clearWelcomeTimer() {
    if (this._welcomeTimer !== null) this._opts.timers.clearTimeout(this._welcomeTimer);
    this._welcomeTimer = null;
  }
}

function recoveredEvent(recovered, reason, replayed) {
  const event = { recovered: recovered, replayed: typeof replayed === 'number' ? replayed : 0 };
  if (!recovered) event.reason = typeof reason === 'string' && reason !== '' ? reason : 'unknown';
  return event;
}

/** One stored token per gateway URL (without the query, which may hold the auth token). */
function storageKey(opts) {
  if (opts.sessionStorageKey !== undefined) return opts.sessionStorageKey;
  return 'wxgw.session:' + opts.url.split(/[?#]/)[0];
}

module.exports = { SessionProtocol, PROTOCOL };
