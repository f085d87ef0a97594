'use strict';

// Application-level heartbeat. Mini programs cannot send WebSocket ping frames, and a
// socket whose app went to the background (or whose network vanished) can stay
// "open" for a long time without an onClose. So: send a text `ping` every interval,
// and if NOTHING arrives within the timeout after a ping (any message proves the
// link is alive, not only the `pong`), declare the connection dead.
// The gateway answers `ping` with `pong` itself and does not forward it to Kafka.

class Heartbeat {
  /**
   * @param {{timers: object, intervalMs: number, timeoutMs: number,
   *          sendPing: () => void, onTimeout: () => void}} config
   */
  constructor(config) {
    this._config = config;
    this._intervalTimer = null;
    this._timeoutTimer = null;
    this._running = false;
  }

  start() {
    this.stop();
    if (!(this._config.intervalMs > 0)) return; // 0 disables the heartbeat
    this._running = true;
    this._scheduleNext();
  }

  stop() {
    this._running = false;
    this._clear('_intervalTimer');
    this._clear('_timeoutTimer');
  }

  /** Any received message: the link is alive. */
  activity() {
    this._clear('_timeoutTimer');
  }

  /** Ping now (e.g. the app came back to the foreground and the socket may be dead). */
  probe() {
    if (!this._running) return;
    this._clear('_intervalTimer');
    this._ping();
  }

  _ping() {
    const timers = this._config.timers;
    this._config.sendPing();
    // Keep an already running timeout: it measures from the oldest unanswered ping.
    if (!this._timeoutTimer && this._config.timeoutMs > 0) {
      this._timeoutTimer = timers.setTimeout(() => {
        this._timeoutTimer = null;
        if (!this._running) return;
        this.stop();
        this._config.onTimeout();
      }, this._config.timeoutMs);
    }
    this._scheduleNext();
  }

  _scheduleNext() {
    this._intervalTimer = this._config.timers.setTimeout(() => {
      this._intervalTimer = null;
      if (this._running) this._ping();
    }, this._config.intervalMs);
  }

  _clear(field) {
    if (this[field] !== null) {
      this._config.timers.clearTimeout(this[field]);
      this[field] = null;
    }
  }
}

module.exports = { Heartbeat };
