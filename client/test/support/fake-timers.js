'use strict';

// Deterministic setTimeout/clearTimeout: time only moves when a test calls tick().

class FakeTimers {
  constructor() {
    this.now = 0;
    this._nextId = 1;
    this._timers = new Map();
    this.setTimeout = this.setTimeout.bind(this);
    this.clearTimeout = this.clearTimeout.bind(this);
  }

  setTimeout(fn, ms) {
    const id = this._nextId++;
    this._timers.set(id, { id, fn, at: this.now + Math.max(0, Number(ms) || 0), delay: Math.max(0, Number(ms) || 0) });
    return id;
  }

  clearTimeout(id) {
    this._timers.delete(id);
  }

  /** Pending timers, earliest first: [{ id, at, delay }]. */
  pending() {
    return Array.from(this._timers.values())
      .sort((a, b) => a.at - b.at || a.id - b.id)
      .map((t) => ({ id: t.id, at: t.at, delay: t.delay }));
  }

  /** Advances time by `ms`, running due timers in order (including ones they schedule). */
  tick(ms) {
    const target = this.now + ms;
    for (;;) {
      const next = this.pending().find((t) => t.at <= target);
      if (!next) break;
      const timer = this._timers.get(next.id);
      this._timers.delete(next.id);
      this.now = timer.at;
      timer.fn();
    }
    this.now = target;
  }
}

module.exports = { FakeTimers };
