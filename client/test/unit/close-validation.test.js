'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket, utf8ByteLength } = require('../../index.js');
const { setup } = require('../support/fake-wx.js');

function openSocket() {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  return { wx, socket };
}

test('close rejects codes outside 1000 and 3000-4999 synchronously', () => {
  for (const code of [999, 1001, 1006, 2999, 5000, 0, -1]) {
    const { socket, wx } = openSocket();
    assert.throws(() => socket.close(code), RangeError, `code ${code}`);
    assert.equal(socket.state, 'open', 'a refused close leaves the socket alone');
    assert.deepEqual(wx.lastTask.closes, []);
  }
  for (const code of [1000.5, '1000', null, NaN]) {
    const { socket } = openSocket();
    assert.throws(() => socket.close(code), TypeError, `code ${code}`);
  }
});

test('close accepts 1000, 3000 and 4999', () => {
  for (const code of [1000, 3000, 4999]) {
    const { socket, wx } = openSocket();
    socket.close(code, 'bye');
    assert.deepEqual(wx.lastTask.closes, [{ code, reason: 'bye' }]);
  }
});

test('close defaults to 1000 with an empty reason', () => {
  const { socket, wx } = openSocket();
  socket.close();
  assert.deepEqual(wx.lastTask.closes, [{ code: 1000, reason: '' }]);
});

test('close reason: 123 UTF-8 bytes accepted, 124 rejected (multibyte characters)', () => {
  const reason123 = '中'.repeat(41); // 41 * 3 bytes
  const reason124 = '中'.repeat(41) + 'a';
  assert.equal(utf8ByteLength(reason123), 123);
  assert.equal(utf8ByteLength(reason124), 124);
  assert.ok(reason124.length < 123, 'would pass a naive .length check');
  const a = openSocket();
  assert.throws(() => a.socket.close(1000, reason124), RangeError);
  a.socket.close(1000, reason123);
  assert.deepEqual(a.wx.lastTask.closes, [{ code: 1000, reason: reason123 }]);
  const b = openSocket();
  assert.throws(() => b.socket.close(1000, '😀'.repeat(30) + 'abcd'), RangeError); // 4 * 30 + 4 = 124
  assert.throws(() => b.socket.close(1000, 42), TypeError);
});

test('utf8ByteLength matches a real UTF-8 encoder', () => {
  const samples = ['', 'abc', 'é', '中文', '😀', 'a😀b', 'ß€𝄞', '\ud800', 'x\udc00y', '\ud83d'];
  for (const s of samples) {
    assert.equal(utf8ByteLength(s), Buffer.byteLength(s, 'utf8'), JSON.stringify(s));
  }
});
