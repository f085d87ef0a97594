'use strict';

// The sockets the SDK created on one wx object, whichever WxGatewaySocket made them.
// A mini program may hold at most 5 sockets (one with the legacy global API); a socket
// holds its slot until the runtime reports onClose, also after the SDK gave it up.
// So the SDK only asks for a new socket while a slot is free, and waits otherwise.
// A given-up socket that never reports onClose is forgotten after a grace period
// (the runtime's own connect timeout is of that order); if the runtime still counts
// it, connectSocket fails with "exceed max concurrent count" and the SDK retries.

const PLATFORM_LIMIT = 5;
const LEGACY_LIMIT = 1;
const GRACE_MS = 60000;
const LEGACY_GRACE_MS = 5000; // one socket per app: don't wait long for the old one

const pools = new WeakMap();

/** The pool of this wx object (shared by every SDK socket on it). */
function poolFor(wx) {
  let pool = pools.get(wx);
  if (!pool) {
    pool = new TaskPool();
    pools.set(wx, pool);
  }
  return pool;
}

class TaskPool {
  constructor() {
    this.limit = PLATFORM_LIMIT;
    this.graceMs = GRACE_MS;
    this._live = [];
    this._waiters = [];
  }

  /** A conn from adapters.js was started: it holds a slot until released. */
  track(conn) {
    this._live.push(conn);
    if (conn.kind === 'legacy') {
      this.limit = LEGACY_LIMIT;
      this.graceMs = LEGACY_GRACE_MS;
    }
  }

  /** The SDK no longer uses conn; the grace period starts now. */
  abandon(conn, now) {
    if (conn.abandonedAt === null) conn.abandonedAt = now;
  }

  /** The runtime reported onClose (or connectSocket failed): the slot is free. */
  release(conn) {
    const index = this._live.indexOf(conn);
    if (index === -1) return;
    this._live.splice(index, 1);
    const waiters = this._waiters;
    this._waiters = [];
    waiters.forEach((fn) => fn());
  }

  hasSlot(now) {
    this._live = this._live.filter((c) => c.abandonedAt === null || now - c.abandonedAt < this.graceMs);
    return this._live.length < this.limit;
  }

  /** When the oldest given-up socket is forgotten, or null if none is given up. */
  nextForgetAt() {
    let at = null;
    this._live.forEach((c) => {
      if (c.abandonedAt !== null && (at === null || c.abandonedAt + this.graceMs < at)) at = c.abandonedAt + this.graceMs;
    });
    return at;
  }

  /** Calls fn once, at the next release. */
  onRelease(fn) {
    if (this._waiters.indexOf(fn) === -1) this._waiters.push(fn);
  }

  offRelease(fn) {
    this._waiters = this._waiters.filter((w) => w !== fn);
  }

  /** The most recently started legacy conn that is still live (the one socket of the app). */
  liveLegacy() {
    for (let i = this._live.length - 1; i >= 0; i--) if (this._live[i].kind === 'legacy') return this._live[i];
    return null;
  }
}

module.exports = { poolFor, TaskPool, PLATFORM_LIMIT, GRACE_MS };
