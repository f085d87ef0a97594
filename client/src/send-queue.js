'use strict';

// Messages sent while the socket is not open (before the first onOpen, while
// reconnecting, or while a socket back from the background is being verified).
// wx.sendSocketMessage before onOpen fails, so without this queue every app has to
// track readiness itself. Bounded in count and in bytes, because a phone that stays
// offline would otherwise grow it forever.

const { gatewayError } = require('./errors.js');

class SendQueue {
  /**
   * @param {number} max maximum number of queued messages
   * @param {number} maxBytes maximum bytes queued; 0: no byte bound
   */
  constructor(max, maxBytes) {
    this._max = max;
    this._maxBytes = maxBytes;
    this._bytes = 0;
    this._items = [];
  }

  get size() {
    return this._items.length;
  }

  /** @returns {Promise<void>} settles when the message is finally sent, or fails */
  push(data, bytes) {
    if (this._items.length >= this._max) {
      return Promise.reject(gatewayError('QUEUE_FULL', 'send queue is full (' + this._max + ' messages)'));
    }
    if (this._maxBytes > 0 && this._bytes + bytes > this._maxBytes) {
      return Promise.reject(gatewayError('QUEUE_FULL', 'send queue is full (' + this._bytes + ' of ' + this._maxBytes + ' bytes used, message of ' + bytes + ')'));
    }
    this._bytes += bytes;
    return new Promise((resolve, reject) => {
      this._items.push({ data: data, resolve: resolve, reject: reject });
    });
  }

  /**
   * Sends every queued message, in order, through `send` (which returns a Promise).
   * The calls are made synchronously one after another so nothing sent later can
   * overtake them.
   */
  drain(send) {
    const items = this._take();
    items.forEach((item) => send(item.data).then(item.resolve, item.reject));
  }

  /** @param {() => Error} makeError a fresh error per pending promise */
  rejectAll(makeError) {
    this._take().forEach((item) => item.reject(makeError()));
  }

  _take() {
    const items = this._items;
    this._items = [];
    this._bytes = 0;
    return items;
  }
}

module.exports = { SendQueue };
