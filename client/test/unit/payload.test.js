'use strict';

// Issue 16, item 8: send() takes what its declaration says; sizes are checked before
// they can kill the socket with 1009; the queue is bounded in bytes too.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { createSocket } = require('../../index.js');
const { setup } = require('../support/fake-wx.js');

const bytesOf = (buffer) => Array.from(new Uint8Array(buffer));

test('a typed-array view sends exactly its bytes, as an ArrayBuffer', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  const whole = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
  await socket.send(whole.subarray(2, 5));
  await socket.send(new DataView(whole.buffer, 6, 2));
  const sent = wx.lastTask.sent;
  assert.ok(sent[0] instanceof ArrayBuffer);
  assert.deepEqual(bytesOf(sent[0]), [2, 3, 4]);
  assert.deepEqual(bytesOf(sent[1]), [6, 7]);
});

test('a queued view is copied: changing the array after send() does not change the message', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const data = new Uint8Array([9, 9]);
  const sending = socket.send(data);
  data[0] = 1;
  wx.lastTask.triggerOpen();
  await sending;
  assert.deepEqual(bytesOf(wx.lastTask.sent[0]), [9, 9]);
});

test('maxMessageBytes rejects a larger message before it reaches the socket', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0, maxMessageBytes: 4 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  await assert.rejects(socket.send('中文'), (err) => err.code === 'MESSAGE_TOO_BIG'); // 6 UTF-8 bytes
  await assert.rejects(socket.send(new ArrayBuffer(5)), (err) => err.code === 'MESSAGE_TOO_BIG');
  await socket.send('abcd');
  assert.deepEqual(wx.lastTask.sent, ['abcd']);
  assert.equal(socket.state, 'open');
});

test('maxQueueBytes bounds the queue in bytes beside the count', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0, maxQueueBytes: 10 });
  const socket = createSocket(options);
  const first = socket.send(new ArrayBuffer(8));
  await assert.rejects(socket.send('abc'), (err) => err.code === 'QUEUE_FULL');
  const second = socket.send('ab');
  wx.lastTask.triggerOpen();
  await Promise.all([first, second]);
  assert.equal(wx.lastTask.sent.length, 2);
});

test('the declarations accept what the runtime accepts', () => {
  const dts = fs.readFileSync(path.join(__dirname, '..', '..', 'index.d.ts'), 'utf8');
  assert.match(dts, /send\(data: string \| ArrayBuffer \| ArrayBufferView\): Promise<void>/);
  for (const option of ['maxMessageBytes', 'maxQueueBytes', 'getTokenTimeoutMs', 'tcpNoDelay', 'perMessageDeflate', 'timeout', 'forceCellularNetwork']) {
    assert.match(dts, new RegExp('\\b' + option + '\\?:'), option);
  }
});
