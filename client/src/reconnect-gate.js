'use strict';

// When the next connection attempt may start. A waiting socket connects once nothing
// blocks it, checked in this order:
//   'foreground' the app is in the background (sockets die there; onAppShow resumes at once)
//   'network'    wx says there is no network (isConnected turning true resumes at once)
//   'backoff'    the jittered backoff delay since the last failure is not over
//   'slot'       the app's sockets are all taken (see task-pool.js); a release resumes
// Pausing while hidden or offline is what lets the SDK retry for ever: it spends no
// attempts (and no battery) where none can succeed.

const { backoffDelay } = require('./backoff.js');

class ReconnectGate {
  /**
   * @param {{opts: object, env: object, pool: object, attempt: () => void}} deps
   *   attempt() is called when nothing blocks; the socket checks it still waits
   */
  constructor(deps) {
    this._opts = deps.opts;
    this._timers = deps.opts.timers;
    this._env = deps.env;
    this._pool = deps.pool;
    this._attemptFn = deps.attempt;
    this.attempt = 0; // reconnects since the last stable connection (drives the backoff)
    this._backoffDue = true;
    this._backoffTimer = null;
    this._slotTimer = null;
    this._onRelease = () => this.tryNow();
  }

  /** What keeps the next attempt from starting now, or null. */
  blocker() {
    if (this._env.hidden) return 'foreground';
    if (this._env.offline) return 'network';
    if (!this._backoffDue) return 'backoff';
    if (!this._pool.hasSlot(this._opts.clock())) return 'slot';
    return null;
  }

  /** Starts the backoff after a failure; returns its delay. Paused while hidden or offline. */
  schedule(immediately) {
    const opts = this._opts;
    const delayMs = immediately ? 0 : backoffDelay(this.attempt, opts.backoffBaseMs, opts.backoffCapMs, opts.random);
    this.attempt++;
    this._backoffDue = false;
    if (!this._env.hidden && !this._env.offline) {
      this._backoffTimer = this._timers.setTimeout(() => {
        this._backoffTimer = null;
        this._backoffDue = true;
        this.tryNow();
      }, delayMs);
    }
    return delayMs;
  }

  /** The foreground or the network is back (or connect() was called): no more backoff. */
  resume() {
    this._backoffDue = true;
    this.tryNow();
  }

  /** Background or offline: stop the clock; resume() connects at once later. */
  pause() {
    this._clearBackoff();
  }

  tryNow() {
    this._clearSlotWait();
    const blocker = this.blocker();
    if (blocker === null) this._attemptFn();
    else if (blocker === 'slot') this._waitForSlot();
  }

  /** Stops every timer and listener (the socket connects or closes). */
  cancel() {
    this._clearBackoff();
    this._clearSlotWait();
  }

  _waitForSlot() {
    this._pool.onRelease(this._onRelease);
    const at = this._pool.nextForgetAt();
    if (at === null) return;
    this._slotTimer = this._timers.setTimeout(() => {
      this._slotTimer = null;
      this.tryNow();
    }, Math.max(0, at - this._opts.clock()));
  }

  _clearBackoff() {
    if (this._backoffTimer !== null) this._timers.clearTimeout(this._backoffTimer);
    this._backoffTimer = null;
  }

  _clearSlotWait() {
    this._pool.offRelease(this._onRelease);
    if (this._slotTimer !== null) this._timers.clearTimeout(this._slotTimer);
    this._slotTimer = null;
  }
}

module.exports = { ReconnectGate };
