'use strict';

// Issue 16, item 2: close() before open must not leak the socket when the handshake
// outlasts the 5 s close fallback.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

test('close() before open: a socket that opens after the 5 s fallback is closed when it opens', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  socket.close(1000, 'page left');
  timers.tick(5000);
  assert.deepEqual(events.of('close'), [{ code: 1000, reason: 'page left', cause: 'client' }]);
  timers.tick(2000);
  wx.lastTask.triggerOpen(); // the slow handshake completes at 7 s
  assert.equal(wx.lastTask.readyState, 'closing', 'the late-opening socket is closed, not left holding a slot');
  assert.deepEqual(wx.lastTask.closes[wx.lastTask.closes.length - 1], { code: 1000, reason: 'page left' });
  assert.equal(events.of('open').length, 0);
});

test('an attempt given up after an error before open is closed if it opens late', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  createSocket(options);
  const first = wx.lastTask;
  first.triggerError('connectSocket:fail timeout');
  timers.tick(1000);
  first.triggerOpen();
  assert.equal(first.readyState, 'closing');
});
