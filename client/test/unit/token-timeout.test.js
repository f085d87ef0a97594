'use strict';

// Issue 16, item 6: a getToken promise that never settles must not hang the socket.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, flush, recordEvents } = require('../support/fake-wx.js');

test('getToken that never settles times out after getTokenTimeoutMs and is retried', async () => {
  let calls = 0;
  const getToken = () => { calls++; return calls === 1 ? new Promise(() => {}) : Promise.resolve('fresh'); };
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, getToken, getTokenTimeoutMs: 5000, random: () => 0.5 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  await flush();
  timers.tick(4999);
  assert.equal(socket.state, 'connecting');
  timers.tick(1);
  const error = events.of('error')[0];
  assert.equal(error && error.code, 'TOKEN_ERROR');
  assert.match(error.message, /timed out/);
  assert.equal(socket.state, 'waiting');
  timers.tick(1000);
  await flush();
  assert.equal(calls, 2);
  assert.equal(wx.connects.length, 1);
  assert.match(wx.connects[0].url, /token=fresh/);
});

test('a token that arrives after its attempt timed out is not used', async () => {
  let release;
  let calls = 0;
  const getToken = () => { calls++; return calls === 1 ? new Promise((r) => { release = r; }) : new Promise(() => {}); };
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, getToken, getTokenTimeoutMs: 1000 });
  createSocket(options);
  await flush();
  timers.tick(1000);
  timers.tick(1000); // second attempt: getToken pending
  await flush();
  release('stale');
  await flush();
  assert.equal(wx.connects.length, 0);
});
