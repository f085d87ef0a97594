'use strict';

// Self-test of the `ws`-based wx stand-in (test/support/ws-wx.js) with the SDK over a
// real local socket, so that an integration failure can be blamed on the gateway.

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { createWsWx } = require('../support/ws-wx.js');
const { startEchoServer } = require('../support/echo-server.js');
const { waitForEvent, collectMessages, until, closeSocket, describeMessage } = require('../support/wait.js');

describe('ws stand-in with a local echo server', () => {
  let server;
  before(async () => { server = await startEchoServer(); });
  after(() => server.close());

  test('text stays text, binary arrives as ArrayBuffer, order kept, pong swallowed', async () => {
    const wx = createWsWx();
    const socket = createSocket({ url: server.url, wx, token: 'a b', heartbeatIntervalMs: 50 });
    const sent = ['one', new Uint8Array([1, 2]).buffer, 'three'];
    sent.forEach((d) => socket.send(d));
    const got = await collectMessages(socket, 3, 5000);
    assert.deepEqual(got.map(describeMessage), sent.map(describeMessage));
    assert.ok(got[1] instanceof ArrayBuffer);
    await until(() => wx.lastTask.received.indexOf('pong') !== -1, 5000, 'pong');
    const upgrade = server.upgrades[0];
    assert.equal(upgrade.url, '/ws?token=a%20b');
    assert.equal(upgrade.headers.authorization, 'Bearer a b');
    await closeSocket(socket);
    assert.equal(socket.state, 'closed');
  });

  test('terminate() drops the socket; the SDK reconnects and echoes again', async () => {
    const wx = createWsWx();
    const socket = createSocket({ url: server.url, wx, random: () => 0 });
    await waitForEvent(socket, 'open', 5000);
    const reconnected = waitForEvent(socket, 'reconnected', 5000);
    wx.lastTask.terminate();
    assert.deepEqual(await reconnected, { attempt: 1 });
    const echo = waitForEvent(socket, 'message', 5000);
    await socket.send('again');
    assert.equal(await echo, 'again');
    await closeSocket(socket);
  });

  test('close(4999, reason) reaches the server and comes back in the close event', async () => {
    const wx = createWsWx();
    const socket = createSocket({ url: server.url, wx });
    await waitForEvent(socket, 'open', 5000);
    const closed = waitForEvent(socket, 'close', 5000);
    socket.close(4999, '再见');
    assert.deepEqual(await closed, { code: 4999, reason: '再见', cause: 'client' });
  });
});

test('a refused handshake (HTTP 401) looks like error + close and stops at once with cause "refused"', async () => {
  const refusing = await startEchoServer({ rejectWith: 401 });
  try {
    const wx = createWsWx();
    const socket = createSocket({ url: refusing.url, wx, random: () => 0 });
    const errors = [];
    socket.on('error', (err) => errors.push(err));
    const closed = await waitForEvent(socket, 'close', 5000);
    assert.equal(closed.cause, 'refused');
    assert.equal(closed.status, 401);
    assert.equal(wx.connects.length, 1);
    assert.match(errors[0].message, /401/);
    assert.equal(errors[0].kind, 'refused');
  } finally {
    await refusing.close();
  }
});

test('a busy gateway (HTTP 503) is retried, not given up', async () => {
  const busy = await startEchoServer({ rejectWith: 503 });
  try {
    const wx = createWsWx();
    const socket = createSocket({ url: busy.url, wx, random: () => 0 });
    socket.on('error', () => {});
    await until(() => wx.connects.length >= 8, 5000, 'eight attempts');
    assert.equal(socket.state === 'waiting' || socket.state === 'connecting', true);
    socket.close();
  } finally {
    await busy.close();
  }
});
