'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

test('legacy global API: connect, queue, send, receive, close through wx.* functions', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0, token: 't' }, { legacy: true });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  assert.equal(wx.connects.length, 1);
  const queued = socket.send('early');
  wx.lastTask.triggerOpen();
  await queued;
  await socket.send(new ArrayBuffer(2));
  assert.deepEqual(wx.lastTask.sent, ['early', new ArrayBuffer(2)]);
  wx.lastTask.triggerMessage('hi');
  wx.lastTask.triggerMessage('pong');
  assert.deepEqual(events.of('message'), ['hi']);
  socket.close(1000, 'done');
  assert.deepEqual(wx.lastTask.closes, [{ code: 1000, reason: 'done' }]);
  wx.lastTask.triggerClose(1000, 'done');
  assert.deepEqual(events.of('close'), [{ code: 1000, reason: 'done', cause: 'client' }]);
});

test('legacy global API: reconnects without piling up global handlers', async () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 }, { legacy: true });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  for (let i = 0; i < 4; i++) {
    wx.lastTask.triggerOpen();
    wx.lastTask.triggerClose(1006);
    timers.tick(1000);
  }
  assert.equal(wx.connects.length, 5);
  for (const kind of ['open', 'message', 'close', 'error']) {
    assert.equal(wx.globalHandlers[kind].length, 1, kind + ' handler registered once');
  }
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerMessage('x');
  assert.deepEqual(events.of('message'), ['x'], 'delivered once');
  assert.equal(events.of('reconnected').length, 4);
  assert.equal(socket.state, 'open');
});

test('legacy global API: a send failure rejects the promise', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 }, { legacy: true });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.sendFails = true;
  await assert.rejects(socket.send('x'), (err) => err.code === 'SEND_FAILED');
});
