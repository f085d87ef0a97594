'use strict';

// Messages sent on a session socket that the gateway has not yet confirmed (`got`: Kafka
// has them). A mini program's socket dies seconds after it goes to the background, often
// with the last messages still in flight; those are sent again, first and with the same
// ids, on the next welcomed socket, so a backend sees each at least once and dedupes by
// the record's `ce_clientmsgid`. Bounded like the send queue: past the bound the oldest
// unconfirmed message is forgotten (it was sent once, it is no longer guaranteed).

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

class Outbox {
  /**
   * @param {number} max most unconfirmed messages kept
   * @param {number} maxBytes most bytes kept; 0: no byte bound
   * @param {() => number} random for this page's id prefix
   */
  constructor(max, maxBytes, random) {
    this._max = max;
    this._maxBytes = maxBytes;
    this._bytes = 0;
    this._items = new Map(); // id -> { data, bytes }, in the order sent
    this._prefix = prefix(random);
    this._next = 0;
  }

  get size() {
    return this._items.size;
  }

  /**
   * Keeps `data` under a new id until confirmed.
   * @returns {{id: string, forgotten: number}} forgotten: older messages dropped to stay in bounds
   */
  add(data, bytes) {
    this._next += 1;
    const id = this._prefix + '.' + this._next.toString(36);
    this._items.set(id, { data: data, bytes: bytes });
    this._bytes += bytes;
    let forgotten = 0;
    while (this._items.size > 1 && (this._items.size > this._max || (this._maxBytes > 0 && this._bytes > this._maxBytes))) {
      this._remove(this._items.keys().next().value);
      forgotten += 1;
    }
    return { id: id, forgotten: forgotten };
  }

  /** The gateway's `got`: these are in Kafka. */
  confirm(ids) {
    ids.forEach((id) => this._remove(id));
  }

  /** What to send again, oldest first: [id, data] pairs. */
  unconfirmed() {
    return Array.from(this._items, ([id, item]) => [id, item.data]);
  }

  clear() {
    this._items.clear();
    this._bytes = 0;
  }

  _remove(id) {
    const item = this._items.get(id);
    if (item === undefined) return;
    this._items.delete(id);
    this._bytes -= item.bytes;
  }
}

/** Ten letters or digits: with the counter, unique enough among one user's pages. */
function prefix(random) {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[Math.floor(random() * ALPHABET.length) % ALPHABET.length];
  return s;
}

module.exports = { Outbox };
