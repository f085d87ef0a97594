'use strict';

// The push positions (`<partition>:<offset>`) the app has already seen, so a push that is
// replayed after a resume reaches the app once. Pushes to different targets may arrive out
// of offset order, so this is a set, never a watermark; bounded: the oldest entries are
// forgotten first (the gateway replays only after the acknowledged positions, so a
// duplicate older than the last `max` pushes does not come back).

class SeenPositions {
  /** @param {number} max how many positions to remember (0: remember none) */
  constructor(max) {
    this._max = max;
    this._set = new Set();
    this._order = [];
    this._head = 0; // index of the oldest remembered position in _order
  }

  get size() {
    return this._set.size;
  }

  has(position) {
    return this._set.has(position);
  }

  /** @returns {boolean} true when the position is new (and now remembered) */
  add(position) {
    if (this._set.has(position)) return false;
    if (this._max <= 0) return true;
    this._set.add(position);
    this._order.push(position);
    if (this._set.size > this._max) this._set.delete(this._order[this._head++]);
    if (this._head > 1024 && this._head * 2 > this._order.length) {
      this._order = this._order.slice(this._head); // compact now and then, not on every add
      this._head = 0;
    }
    return true;
  }
}

module.exports = { SeenPositions };
