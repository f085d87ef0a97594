'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket, backoffDelay } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

test('backoffDelay: full jitter between 0 and min(cap, base * 2^attempt)', () => {
  assert.equal(backoffDelay(0, 500, 30000, () => 0), 0);
  assert.equal(backoffDelay(10, 500, 30000, () => 0), 0);
  assert.equal(backoffDelay(0, 500, 30000, () => 0.999), 499);
  assert.equal(backoffDelay(1, 500, 30000, () => 0.999), 999);
  assert.equal(backoffDelay(3, 500, 30000, () => 0.5), 2000);
  assert.equal(backoffDelay(20, 500, 30000, () => 0.999), 29970);
  assert.equal(backoffDelay(5000, 500, 30000, () => 0.999), 29970, 'huge attempts stay at the cap');
  assert.equal(backoffDelay(2, 500, 30000, () => 1), 1999, 'never reaches the ceiling itself');
  for (let attempt = 0; attempt < 12; attempt++) {
    for (const r of [0, 0.1, 0.5, 0.9, 0.999999]) {
      const d = backoffDelay(attempt, 500, 30000, () => r);
      assert.ok(d >= 0 && d < Math.min(30000, 500 * 2 ** attempt), `attempt ${attempt} r ${r} -> ${d}`);
    }
  }
});

/** Drops the current connection before it opens `n` times and returns the reconnecting events. */
function dropRepeatedly(wx, timers, events, n) {
  for (let i = 0; i < n; i++) {
    wx.lastTask.triggerClose(1006);
    timers.tick(events.of('reconnecting').slice(-1)[0].delayMs);
  }
  return events.of('reconnecting');
}

test('random 0 reconnects after 0 ms; the first reconnect is attempt 1', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1001, 'draining');
  assert.deepEqual(events.of('reconnecting'), [{ attempt: 1, delayMs: 0 }]);
  assert.equal(wx.connects.length, 1);
  timers.tick(0);
  assert.equal(wx.connects.length, 2);
});

test('delays grow by attempt up to the cap with random 0.999', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.999, maxFailedHandshakes: 100 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  const delays = dropRepeatedly(wx, timers, events, 9).map((e) => e.delayMs);
  assert.deepEqual(delays, [499, 999, 1998, 3996, 7992, 15984, 29970, 29970, 29970]);
  assert.deepEqual(events.of('reconnecting').map((e) => e.attempt), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('the reconnect waits the full delay before connecting', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.5 });
  createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  timers.tick(249);
  assert.equal(wx.connects.length, 1);
  timers.tick(1);
  assert.equal(wx.connects.length, 2);
});

test('the attempt counter resets after a connection stays open for stableAfterMs', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.999 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  dropRepeatedly(wx, timers, events, 3); // attempts 1..3, none opened
  wx.lastTask.triggerOpen();
  timers.tick(9999); // not yet stable
  wx.lastTask.triggerClose(1006);
  assert.deepEqual(events.of('reconnecting').slice(-1)[0], { attempt: 4, delayMs: 3996 });
  timers.tick(3996);
  wx.lastTask.triggerOpen();
  timers.tick(10000); // stable now
  wx.lastTask.triggerClose(1006);
  assert.deepEqual(events.of('reconnecting').slice(-1)[0], { attempt: 1, delayMs: 499 });
});

test('reconnected fires after the open that follows a reconnecting event', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  timers.tick(0);
  wx.lastTask.triggerOpen();
  assert.deepEqual(events.names(), ['open', 'reconnecting', 'open', 'reconnected']);
  assert.deepEqual(events.of('reconnected'), [{ attempt: 1 }]);
});

test('maxReconnectAttempts stops after that many reconnects without a stable connection', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, maxReconnectAttempts: 2 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  for (let i = 0; i < 3; i++) {
    wx.lastTask.triggerOpen();
    wx.lastTask.triggerClose(1006);
    timers.tick(0);
  }
  assert.equal(events.of('reconnecting').length, 2);
  assert.deepEqual(events.of('close'), [{ code: 1006, reason: '', cause: 'max-attempts' }]);
  assert.equal(wx.connects.length, 3);
});

test('reconnect: false closes on the first drop', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0, reconnect: false });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  assert.deepEqual(events.of('close'), [{ code: 1006, reason: '', cause: 'no-reconnect' }]);
  assert.equal(socket.state, 'closed');
});
