'use strict';

// Issue 16, item 1: only a refusal that means "do not come back" stops reconnecting.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, flush, recordEvents } = require('../support/fake-wx.js');

const TRANSIENT_FAILURES = [
  'connectSocket:fail network is down',
  'Error during WebSocket handshake: Unexpected response code: 503',
  'Unexpected server response: 429',
  'connectSocket:fail exceed max concurrent count',
  'connectSocket:fail timeout'
];

test('transient handshake failures retry for ever with capped backoff', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.999, backoffCapMs: 30000 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  for (let i = 0; i < 50; i++) {
    wx.lastTask.triggerError(TRANSIENT_FAILURES[i % TRANSIENT_FAILURES.length]);
    wx.lastTask.triggerClose(1006);
    assert.equal(socket.state, 'waiting', 'attempt ' + (i + 1));
    timers.tick(30000);
  }
  assert.equal(wx.connects.length, 51);
  assert.equal(events.of('close').length, 0);
  assert.ok(events.of('reconnecting').every((r) => r.delayMs < 30000), 'the delay stays under the cap');
});

test('a failing getToken retries for ever', async () => {
  let calls = 0;
  const getToken = () => { calls++; return Promise.reject(new Error('login server down')); };
  const { timers, options } = setup({ heartbeatIntervalMs: 0, getToken, backoffCapMs: 1000 });
  const socket = createSocket(options);
  for (let i = 0; i < 12; i++) {
    await flush();
    timers.tick(1000);
  }
  await flush();
  assert.ok(calls >= 12, 'getToken called ' + calls + ' times');
  assert.notEqual(socket.state, 'closed');
});

test('HTTP 401 or 403 at the handshake stops with cause "refused" and the status', () => {
  for (const status of [401, 403]) {
    const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
    const socket = createSocket(options);
    const events = recordEvents(socket);
    wx.lastTask.triggerError('Error during WebSocket handshake: Unexpected response code: ' + status);
    wx.lastTask.triggerClose(1006);
    timers.tick(60000);
    assert.equal(wx.connects.length, 1, String(status));
    assert.equal(socket.state, 'closed');
    const close = events.of('close')[0];
    assert.equal(close.cause, 'refused');
    assert.equal(close.status, status);
  }
});

test('offline: no attempt while the network is down, one at once when isConnected turns true', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.999 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  wx.triggerNetwork(false);
  wx.lastTask.triggerClose(1006);
  timers.tick(10 * 60000);
  assert.equal(wx.connects.length, 1, 'no attempts while offline');
  assert.equal(socket.state, 'waiting');
  assert.equal(socket.waitingFor, 'network');
  wx.triggerNetwork(true, '4g');
  assert.equal(wx.connects.length, 2, 'connected at once, without waiting for the backoff');
});

test('starting offline (getNetworkType says none) waits for the network', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 }, { networkType: 'none' });
  const socket = createSocket(options);
  assert.equal(wx.connects.length, 0);
  assert.equal(socket.waitingFor, 'network');
  wx.triggerNetwork(true);
  assert.equal(wx.connects.length, 1);
});

test('connect() after a give-up connects again', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(4003, 'forbidden');
  assert.equal(socket.state, 'closed');
  socket.connect();
  assert.equal(socket.state, 'connecting');
  assert.equal(wx.connects.length, 2);
  wx.lastTask.triggerOpen();
  assert.equal(socket.state, 'open');
});

test('onAppShow revives a socket that gave up at a limit the app configured', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, maxFailedHandshakes: 2 });
  const socket = createSocket(options);
  for (let i = 0; i < 2; i++) {
    wx.lastTask.triggerConnectFail('connectSocket:fail network is down');
    timers.tick(1000);
  }
  assert.equal(socket.state, 'closed');
  wx.triggerAppShow();
  assert.equal(socket.state, 'connecting');
  assert.equal(wx.connects.length, 3);
});

test('a network event that changes nothing does not cut the backoff short', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.999 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  wx.triggerNetwork(true, 'wifi'); // same network as before
  assert.equal(wx.connects.length, 1);
  assert.equal(socket.waitingFor, 'backoff');
  timers.tick(500);
  assert.equal(wx.connects.length, 2);
});
