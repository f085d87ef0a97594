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

test('legacy global API: a late close of the previous socket is not routed to the new one', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 20000, heartbeatTimeoutMs: 10000 }, { legacy: true });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  const first = wx.lastTask;
  first.triggerOpen();
  timers.tick(30000); // heartbeat timeout: the SDK gives the first socket up
  timers.tick(1000);
  first.triggerClose(1000, ''); // its close arrives late (one socket per app: no identity)
  timers.tick(1000);
  assert.equal(socket.state === 'connecting' || socket.state === 'open', true, 'state ' + socket.state);
  assert.equal(events.of('close').length, 0, 'not taken as a terminal close of the new socket');
  wx.lastTask.triggerOpen();
  assert.equal(socket.state, 'open');
});
