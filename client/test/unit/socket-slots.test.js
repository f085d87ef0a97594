'use strict';

// Issue 16, item 3: every task the SDK created is tracked and closed; the SDK never
// asks for a sixth socket while five of its own have not reported onClose.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

const HEARTBEAT = { heartbeatIntervalMs: 2000, heartbeatTimeoutMs: 1000 };

/** Opens the current task and lets its heartbeat time out; the runtime reports no onClose. */
function openAndTimeOut(wx, timers) {
  wx.lastTask.triggerOpen();
  timers.tick(3000);
  timers.tick(100);
}

test('five abandoned sockets without onClose: no sixth connectSocket until one reports its close', () => {
  const { wx, timers, options } = setup(HEARTBEAT, { maxLive: 5 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  for (let i = 0; i < 5; i++) openAndTimeOut(wx, timers);
  assert.equal(wx.connects.length, 5, 'the fifth reconnect waits for a slot');
  assert.equal(socket.state, 'waiting');
  assert.equal(socket.waitingFor, 'slot');
  timers.tick(30000);
  assert.equal(wx.connects.length, 5);
  assert.ok(wx.tasks.every((t) => t.closes.length === 1), 'every abandoned task was closed');
  wx.tasks[0].triggerClose(4000, 'heartbeat timeout');
  assert.equal(wx.connects.length, 6, 'the freed slot is used at once');
  assert.equal(wx.maxLiveSeen, 5);
  assert.ok(!wx.tasks.some((t) => t.readyState === 'closed' && t.closes.length === 0), 'no "exceed max concurrent count"');
  assert.equal(events.of('close').length, 0);
});

test('a task the runtime never reports closed is given up after a minute, then the SDK tries again', () => {
  const { wx, timers, options } = setup(HEARTBEAT, { maxLive: 100 });
  const socket = createSocket(options);
  for (let i = 0; i < 5; i++) openAndTimeOut(wx, timers);
  assert.equal(wx.connects.length, 5);
  timers.tick(60000);
  assert.equal(wx.connects.length, 6);
  assert.equal(socket.state, 'connecting');
});

test('sockets of several SDK instances on one wx share the 5 slots', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 }, { maxLive: 5 });
  const sockets = [];
  for (let i = 0; i < 6; i++) sockets.push(createSocket(options));
  assert.equal(wx.connects.length, 5);
  assert.equal(sockets[5].waitingFor, 'slot');
  sockets[0].close();
  wx.tasks[0].triggerClose(1006); // the runtime ignored close() before open and gave up itself
  assert.equal(wx.connects.length, 6);
  assert.equal(wx.maxLiveSeen, 5);
});
