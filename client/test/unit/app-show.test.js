'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

test('onAppShow while waiting to reconnect cancels the backoff and connects now', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, random: () => 0.999 });
  createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006); // app went to the background, the socket died
  assert.equal(timers.pending().length, 1);
  wx.triggerAppShow();
  assert.equal(wx.connects.length, 2);
  assert.deepEqual(timers.pending(), [], 'the backoff timer was cancelled');
  timers.tick(60000);
  assert.equal(wx.connects.length, 2);
});

test('onAppShow while open does not reconnect but probes with a ping', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 20000, heartbeatTimeoutMs: 10000 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  timers.tick(5000);
  wx.triggerAppShow();
  assert.equal(wx.connects.length, 1);
  assert.deepEqual(wx.lastTask.sent, ['ping']);
  timers.tick(10000); // no answer: the socket was a corpse
  assert.equal(events.of('reconnecting').length, 1);
});

test('onAppShow while connecting or after the final close does nothing', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.triggerAppShow();
  assert.equal(wx.connects.length, 1);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(4002);
  assert.equal(socket.state, 'closed');
  wx.triggerAppShow();
  assert.equal(wx.connects.length, 1);
});

test('works without wx.onAppShow / wx.offAppShow', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 }, { appShow: false });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  socket.close();
  wx.lastTask.triggerClose(1000);
  assert.equal(socket.state, 'closed');
});
