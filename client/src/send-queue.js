'use strict';

// Messages sent while the socket is not open (before the first onOpen, or while
// reconnecting). wx.sendSocketMessage before onOpen fails, so without this queue
// every app has to track readiness itself. Bounded, because a phone that stays
// offline would otherwise grow it forever.

const { gatewayError } = require('./errors.js');

class SendQueue {
  /** @param {number} max maximum number of queued messages */
  constructor(max) {
    this._max = max;
    this._items = [];
  }

  get size() {
    return this._items.length;
  }

  /** @returns {Promise<void>} settles when the message is finally sent, or fails */
  push(data) {
    if (this._items.length >= this._max) {
      return Promise.reject(gatewayError('QUEUE_FULL', 'send queue is full (' + this._max + ' messages)'));
    }
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
    const items = this._items;
    this._items = [];
    items.forEach((item) => send(item.data).then(item.resolve, item.reject));
  }

  /** @param {() => Error} makeError a fresh error per pending promise */
  rejectAll(makeError) {
    const items = this._items;
    this._items = [];
    items.forEach((item) => item.reject(makeError()));
  }
}

module.exports = { SendQueue };
