'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

const HEARTBEAT = { heartbeatIntervalMs: 20000, heartbeatTimeoutMs: 10000 };

test('sends the heartbeat message every heartbeatIntervalMs once open', () => {
  const { wx, timers, options } = setup(HEARTBEAT);
  createSocket(options);
  timers.tick(60000);
  assert.deepEqual(wx.lastTask.sent, [], 'no ping before open');
  wx.lastTask.triggerOpen();
  timers.tick(19999);
  assert.deepEqual(wx.lastTask.sent, []);
  timers.tick(1);
  assert.deepEqual(wx.lastTask.sent, ['ping']);
  wx.lastTask.triggerMessage('pong');
  timers.tick(20000);
  assert.deepEqual(wx.lastTask.sent, ['ping', 'ping']);
});

test('no message within heartbeatTimeoutMs after a ping closes with 4000 and reconnects', () => {
  const { wx, timers, options } = setup(HEARTBEAT);
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  timers.tick(20000 + 9999);
  assert.equal(events.of('reconnecting').length, 0);
  timers.tick(1);
  assert.deepEqual(wx.tasks[0].closes, [{ code: 4000, reason: 'heartbeat timeout' }]);
  assert.deepEqual(events.of('reconnecting'), [{ attempt: 1, delayMs: 0 }]);
  assert.equal(events.of('error')[0].code, 'HEARTBEAT_TIMEOUT');
  timers.tick(0);
  assert.equal(wx.connects.length, 2);
  // The abandoned socket's late onClose must not cause another reconnect.
  wx.tasks[0].triggerClose(4000, 'heartbeat timeout');
  assert.equal(events.of('reconnecting').length, 1);
  assert.equal(socket.state, 'connecting');
});

test('a heartbeat timeout reconnects even if 4000 is configured as terminal', () => {
  const { wx, timers, options } = setup(Object.assign({ terminalCodes: [4000] }, HEARTBEAT));
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  timers.tick(30000);
  assert.equal(events.of('reconnecting').length, 1);
});

test('any message, not only pong, counts as a heartbeat answer', () => {
  const { wx, timers, options } = setup(HEARTBEAT);
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  timers.tick(20000 + 5000); // ping #1 at 20000
  wx.lastTask.triggerMessage('business data');
  timers.tick(15000 + 9999); // ping #2 at 40000, its timeout would fire at 50000
  wx.lastTask.triggerMessage(new ArrayBuffer(1));
  timers.tick(10001 + 9999); // ping #3 at 60000
  wx.lastTask.triggerMessage('more');
  timers.tick(1);
  assert.equal(events.of('reconnecting').length, 0);
  assert.equal(socket.state, 'open');
});

test('pong replies are not emitted as message events', () => {
  const { wx, options } = setup(HEARTBEAT);
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerMessage('pong');
  wx.lastTask.triggerMessage('hello');
  wx.lastTask.triggerMessage('pong');
  assert.deepEqual(events.of('message'), ['hello']);
});

test('heartbeat message and reply are configurable', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 1000, heartbeatMessage: 'HB?', heartbeatReply: 'HB!' });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  timers.tick(1000);
  assert.deepEqual(wx.lastTask.sent, ['HB?']);
  wx.lastTask.triggerMessage('HB!');
  wx.lastTask.triggerMessage('pong');
  assert.deepEqual(events.of('message'), ['pong']);
});

test('heartbeatIntervalMs 0 disables the heartbeat', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  timers.tick(10 * 60 * 1000);
  assert.deepEqual(wx.lastTask.sent, []);
  assert.equal(socket.state, 'open');
  assert.deepEqual(timers.pending(), [], 'only the stable timer existed and it fired');
});

test('the heartbeat stops while reconnecting and restarts on the new socket', () => {
  const { wx, timers, options } = setup(Object.assign({ random: () => 0.999 }, HEARTBEAT));
  createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  timers.tick(498);
  assert.deepEqual(wx.tasks[0].sent, []);
  timers.tick(1);
  wx.tasks[1].triggerOpen();
  timers.tick(20000);
  assert.deepEqual(wx.tasks[1].sent, ['ping']);
  assert.deepEqual(wx.tasks[0].sent, []);
});
