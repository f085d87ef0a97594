'use strict';

// Acknowledgements of delivered pushes, sent in batches: `{"t":"ack","p":[...]}` at most
// every `intervalMs` or as soon as `batchSize` positions wait, and on flush() (before a
// `bye`). Positions that could not be sent (no usable socket) wait for the next one.
// Called from the socket's callbacks only (one thread: the mini program's JS thread).

class AckBatcher {
  /**
   * @param {{timers: object, intervalMs: number, batchSize: number, send: (positions: string[]) => boolean}} config
   *   send returns false when there is no socket to send on (the positions stay pending)
   */
  constructor(config) {
    this._config = config;
    this._pending = [];
    this._timer = null;
  }

  get pending() {
    return this._pending.slice();
  }

  add(position) {
    this._pending.push(position);
    if (this._pending.length >= this._config.batchSize) this.flush();
    else if (this._timer === null) {
      this._timer = this._config.timers.setTimeout(() => {
        this._timer = null;
        this.flush();
      }, this._config.intervalMs);
    }
  }

  /** Sends what is pending now (if anything, and if there is a socket). */
  flush() {
    this._clearTimer();
    if (this._pending.length === 0) return;
    const batch = this._pending;
    if (this._config.send(batch)) this._pending = [];
  }

  /** The socket is gone: keep the positions for the next one, no timer meanwhile. */
  pause() {
    this._clearTimer();
  }

  /** The session ended: nothing to acknowledge any more. */
  clear() {
    this._clearTimer();
    this._pending = [];
  }

  _clearTimer() {
    if (this._timer !== null) this._config.timers.clearTimeout(this._timer);
    this._timer = null;
  }
}

module.exports = { AckBatcher };
