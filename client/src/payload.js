'use strict';

// What send() accepts and how big it is on the wire.

const { utf8ByteLength } = require('./close-codes.js');

/**
 * A string or an ArrayBuffer as is; a typed-array view or DataView as a copy of exactly
 * its bytes (wx sends ArrayBuffers only, and a view's buffer may hold more than the view).
 * The copy also means a queued message does not change if the app reuses its array.
 * @returns {string|ArrayBuffer|null} null for anything else
 */
function toWireData(data) {
  if (typeof data === 'string' || isArrayBuffer(data)) return data;
  if (typeof ArrayBuffer.isView === 'function' && ArrayBuffer.isView(data)) {
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  }
  return null;
}

/** Bytes the message takes on the wire: UTF-8 for text. */
function wireLength(data) {
  return typeof data === 'string' ? utf8ByteLength(data) : data.byteLength;
}

// instanceof fails across realms (and for some mini-program runtimes' buffers).
function isArrayBuffer(value) {
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

module.exports = { toWireData, wireLength };
