'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, flush, recordEvents } = require('../support/fake-wx.js');

test('close() on an open socket closes it, emits close once and never reconnects', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  socket.close(4100, 'logout');
  assert.equal(socket.state, 'closing');
  assert.deepEqual(wx.lastTask.closes, [{ code: 4100, reason: 'logout' }]);
  wx.lastTask.triggerClose(4100, 'logout');
  timers.tick(60000);
  assert.deepEqual(events.of('close'), [{ code: 4100, reason: 'logout', cause: 'client' }]);
  assert.equal(events.of('reconnecting').length, 0);
  assert.equal(wx.connects.length, 1);
  assert.equal(socket.state, 'closed');
  socket.close(); // idempotent
  assert.equal(events.of('close').length, 1);
});

test('close() before open closes the socket as soon as it opens', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  socket.close(1000, 'not needed');
  assert.deepEqual(wx.lastTask.closes, [], 'the raw API would ignore it');
  wx.lastTask.triggerOpen();
  assert.deepEqual(wx.lastTask.closes, [{ code: 1000, reason: 'not needed' }]);
  assert.equal(events.of('open').length, 0, 'no open event for a socket being closed');
  wx.lastTask.triggerClose(1000, 'not needed');
  assert.deepEqual(events.of('close'), [{ code: 1000, reason: 'not needed', cause: 'client' }]);
});

test('close() before open of a handshake that then fails finishes without reconnecting', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  socket.close();
  wx.lastTask.triggerError('refused');
  timers.tick(60000);
  assert.equal(events.of('close').length, 1);
  assert.equal(events.of('close')[0].cause, 'client');
  assert.equal(wx.connects.length, 1);
});

test('pending and later sends reject with CLOSED after close()', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const pending = [socket.send('a'), socket.send('b')];
  socket.close();
  for (const p of pending) await assert.rejects(p, (err) => err.code === 'CLOSED');
  await assert.rejects(socket.send('c'), (err) => err.code === 'CLOSED');
  wx.lastTask.triggerOpen();
  assert.deepEqual(wx.lastTask.sent, [], 'the queue is not flushed into a closing socket');
});

test('close() while waiting to reconnect cancels the timer and emits close at once', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.5 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  assert.equal(socket.state, 'waiting');
  socket.close(3001, 'bye');
  assert.deepEqual(events.of('close'), [{ code: 3001, reason: 'bye', cause: 'client' }]);
  timers.tick(60000);
  assert.equal(wx.connects.length, 1);
  assert.deepEqual(timers.pending(), []);
});

test('close() while getToken is pending: no socket is ever opened', async () => {
  let resolveToken;
  const getToken = () => new Promise((resolve) => { resolveToken = resolve; });
  const { wx, options } = setup({ heartbeatIntervalMs: 0, getToken });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  await flush();
  socket.close();
  resolveToken('t');
  await flush();
  assert.equal(wx.connects.length, 0);
  assert.equal(events.of('close').length, 1);
});

test('close() finishes after a fallback delay if the runtime never reports onClose', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  socket.close();
  timers.tick(4999);
  assert.equal(events.of('close').length, 0);
  timers.tick(1);
  assert.deepEqual(events.of('close'), [{ code: 1000, reason: '', cause: 'client' }]);
  wx.lastTask.triggerClose(1000); // late: ignored
  assert.equal(events.of('close').length, 1);
});

test('a close listener may close() again or send() without breaking anything', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  let sendResult;
  socket.on('close', () => {
    socket.close();
    sendResult = socket.send('late');
  });
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(4002, 'replaced');
  await assert.rejects(sendResult, (err) => err.code === 'CLOSED');
});

test('offAppShow is called on the final close', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  assert.equal(wx.appShowHandlers.length, 1);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(4003);
  assert.equal(socket.state, 'closed');
  assert.equal(wx.offAppShowCalls, 1);
  assert.equal(wx.appShowHandlers.length, 0);
});
