'use strict';

// Issue 16, item 4: a socket that was in the background for more than a few seconds
// may be dead while it still looks open. Nothing sent into it may resolve as sent.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, flush, recordEvents } = require('../support/fake-wx.js');

const HEARTBEAT = { heartbeatIntervalMs: 20000, heartbeatTimeoutMs: 10000 };

function openThenBackground(overrides, backgroundMs) {
  const s = setup(Object.assign({}, HEARTBEAT, overrides));
  s.socket = createSocket(s.options);
  s.events = recordEvents(s.socket);
  s.wx.lastTask.triggerOpen();
  s.wx.triggerAppHide();
  s.timers.tick(backgroundMs);
  return s;
}

test('back from a long background: sends wait until the probe answers', async () => {
  const { wx, timers, socket } = openThenBackground({}, 10000);
  wx.triggerAppShow();
  assert.equal(socket.state, 'verifying');
  let resolved = false;
  const sending = socket.send('order #1').then(() => { resolved = true; });
  await flush();
  assert.deepEqual(wx.lastTask.sent, ['ping'], 'only the probe goes into the suspect socket');
  assert.equal(resolved, false);
  wx.lastTask.triggerMessage('pong');
  assert.equal(socket.state, 'open');
  await sending;
  assert.deepEqual(wx.lastTask.sent, ['ping', 'order #1']);
  timers.tick(0);
  assert.equal(wx.connects.length, 1);
});

test('back from a long background, no answer to the probe: reconnect at once, queued sends go to the new socket', async () => {
  const { wx, timers, socket, events } = openThenBackground({ probeTimeoutMs: 3000 }, 10000);
  wx.triggerAppShow();
  const sending = socket.send('order #2');
  timers.tick(3000);
  assert.equal(events.of('error')[0].code, 'HEARTBEAT_TIMEOUT');
  timers.tick(0);
  assert.equal(wx.connects.length, 2);
  assert.deepEqual(wx.tasks[0].sent, ['ping'], 'nothing but the probe went into the dead socket');
  wx.lastTask.triggerOpen();
  await sending;
  assert.deepEqual(wx.lastTask.sent, ['order #2']);
});

test('a send while in the background for long is queued, not written into the socket', async () => {
  const { wx, socket } = openThenBackground({}, 8000);
  let resolved = false;
  socket.send('from a background task').then(() => { resolved = true; });
  await flush();
  assert.deepEqual(wx.lastTask.sent, []);
  assert.equal(resolved, false);
});

test('a short background (under suspectAfterBackgroundMs) keeps the socket open and probes', () => {
  const { wx, socket } = openThenBackground({}, 1000);
  wx.triggerAppShow();
  assert.equal(socket.state, 'open');
  assert.deepEqual(wx.lastTask.sent, ['ping']);
});

test('onAppHide pauses the heartbeat: no ping and no heartbeat timeout while hidden', () => {
  const { wx, socket, events } = openThenBackground({}, 5 * 60000);
  assert.deepEqual(wx.lastTask.sent, []);
  assert.equal(events.of('error').length, 0);
  assert.equal(socket.state, 'open');
});

test('onAppHide pauses the backoff; onAppShow connects at once', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.5 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  wx.triggerAppHide();
  wx.lastTask.triggerClose(1006);
  timers.tick(10 * 60000);
  assert.equal(wx.connects.length, 1, 'no reconnect while hidden');
  assert.equal(socket.waitingFor, 'foreground');
  wx.triggerAppShow();
  assert.equal(wx.connects.length, 2);
});

test('a send from inside the HEARTBEAT_TIMEOUT error listener is not written into the dead socket', async () => {
  const { wx, timers, options } = setup(HEARTBEAT);
  const socket = createSocket(options);
  let sending = null;
  socket.on('error', (err) => { if (err.code === 'HEARTBEAT_TIMEOUT') sending = socket.send('retry me'); });
  wx.lastTask.triggerOpen();
  timers.tick(30000);
  assert.ok(sending, 'the listener ran');
  assert.deepEqual(wx.tasks[0].sent, ['ping']);
  timers.tick(0);
  wx.lastTask.triggerOpen();
  await sending;
  assert.deepEqual(wx.lastTask.sent, ['retry me']);
});

test('a network switch while open makes the socket suspect: sends wait for the probe', async () => {
  const { wx, socket } = openThenBackground({}, 0);
  wx.triggerAppShow();
  wx.triggerNetwork(true, '4g');
  assert.equal(socket.state, 'verifying');
  socket.send('x');
  await flush();
  assert.deepEqual(wx.lastTask.sent.filter((d) => d !== 'ping'), []);
});
