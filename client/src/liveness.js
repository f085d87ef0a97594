'use strict';

// Is the open socket really alive? Two tools:
//   - the heartbeat (heartbeat.js) while the socket is trusted and the app in the foreground;
//   - a probe while it is suspect (back from a long background, network lost or switched):
//     one ping, and if nothing at all arrives within probeTimeoutMs the socket is dead.
// Sockets die silently 5-10 s after the app leaves the foreground, so both pause while
// hidden (timers may not even run there) and start again on show.

const { Heartbeat } = require('./heartbeat.js');

class Liveness {
  /**
   * @param {{opts: object, env: object, sendPing: () => void, onDead: (why: string, suspect: boolean) => void}} deps
   */
  constructor(deps) {
    const opts = deps.opts;
    this._opts = opts;
    this._env = deps.env;
    this._sendPing = deps.sendPing;
    this._onDead = deps.onDead;
    this._probeTimer = null;
    this._heartbeat = new Heartbeat({
      timers: opts.timers,
      intervalMs: opts.heartbeatIntervalMs,
      timeoutMs: opts.heartbeatTimeoutMs,
      sendPing: deps.sendPing,
      onTimeout: () => this._onDead('no message within ' + opts.heartbeatTimeoutMs + ' ms after a ping', false)
    });
  }

  /** The socket is trusted: heartbeat on (unless in the background). */
  trust() {
    this.stop();
    if (!this._env.hidden) this._heartbeat.start();
  }

  /** Back in the foreground soon enough to trust the socket: heartbeat on, ping now. */
  resume() {
    this._heartbeat.start();
    this._heartbeat.probe();
  }

  /** The socket may be dead: probe it (when the app is shown and online), or give it up. */
  probe() {
    this._heartbeat.stop();
    if (this._env.hidden || this._env.offline || this._probeTimer !== null) return;
    const timeoutMs = this._opts.probeTimeoutMs;
    if (!(timeoutMs > 0)) {
      this._onDead('suspect after the background or a network change', true);
      return;
    }
    this._sendPing();
    this._probeTimer = this._opts.timers.setTimeout(() => {
      this._probeTimer = null;
      this._onDead('no answer within ' + timeoutMs + ' ms to the probe', true);
    }, timeoutMs);
  }

  /** A message arrived: the link is alive. */
  activity() {
    this._clearProbe();
    this._heartbeat.activity();
  }

  /** Background, offline, lost or closed: no timers. */
  stop() {
    this._heartbeat.stop();
    this._clearProbe();
  }

  _clearProbe() {
    if (this._probeTimer !== null) this._opts.timers.clearTimeout(this._probeTimer);
    this._probeTimer = null;
  }
}

module.exports = { Liveness };
