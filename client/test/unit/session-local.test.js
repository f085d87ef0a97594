'use strict';

// The SDK's session protocol over real sockets: the `ws` wx stand-in, a TCP proxy that
// can be cut (a phone losing its network mid-stream), and the protocol test server
// (test/support/session-server.js) playing the gateway.

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { createWsWx } = require('../support/ws-wx.js');
const { startProxy } = require('../support/tcp-proxy.js');
const { startSessionServer } = require('../support/session-server.js');
const { waitForEvent, until, closeSocket } = require('../support/wait.js');

describe('session protocol against the local protocol server', () => {
  let server;
  let proxy;
  const sockets = [];
  before(async () => {
    server = await startSessionServer();
    proxy = await startProxy(server.port);
  });
  after(async () => {
    await Promise.all(sockets.map((s) => closeSocket(s).catch(() => {})));
    await proxy.stop();
    await server.close();
  });

  function open(options) {
    const wx = createWsWx();
    const socket = createSocket(Object.assign({ url: proxy.url('/ws'), wx, random: () => 0, sessionStorageKey: null }, options));
    socket.on('error', () => {});
    const got = [];
    socket.on('message', (data, info) => got.push({ data, position: info && info.position }));
    sockets.push(socket);
    return { wx, socket, got };
  }

  test('cut mid-stream, pushes in the gap: every push once, in order, then recovered', async () => {
    // Acks held back, so the replay also repeats pushes the app already has: dedupe must drop them.
    const { socket, got } = open({ ackIntervalMs: 60000 });
    const opened = await waitForEvent(socket, 'open', 5000);
    assert.equal(opened.protocol, 'wx.session.v1');
    assert.equal(opened.session.resumed, false);
    const expected = [];
    for (let i = 0; i < 5; i++) expected.push('before-' + i);
    expected.forEach((body) => server.push(body));
    await until(() => got.length === 5, 5000, 'five pushes');
    const session = server.session;
    await proxy.stop(); // no close frame: the network is gone
    await until(() => session.ws === null, 5000, 'the server to suspend the session');
    for (let i = 0; i < 5; i++) {
      const body = 'gap-' + i;
      expected.push(body);
      server.push(body, { partition: i % 2 }); // two partitions: offsets interleave
    }
    const recovered = waitForEvent(socket, 'recovered', 10000);
    const seenAtRecovered = [];
    socket.on('recovered', () => seenAtRecovered.push(got.length));
    await proxy.start();
    assert.deepEqual(await recovered, { recovered: true, replayed: 10 });
    assert.deepEqual(seenAtRecovered, [10], 'recovered comes after the replayed pushes');
    server.push('after');
    expected.push('after');
    await until(() => got.length === 11, 5000, 'the push after the resume');
    assert.deepEqual(got.map((m) => m.data), expected);
    assert.equal(new Set(got.map((m) => m.position)).size, 11);
    assert.equal(session.connections, 2, 'the same session, resumed');
    await closeSocket(socket); // a later proxy cut must not make it resume
  });

  test('app sends are wrapped in msg and echoed; acks reach the server in batches; bye on close', async () => {
    const { socket, got } = open({ ackIntervalMs: 20 });
    await waitForEvent(socket, 'open', 5000);
    const session = server.session;
    await socket.send('text-中文');
    await socket.send(new Uint8Array([1, 10, 255]).buffer);
    await until(() => got.length === 2, 5000, 'two echoes');
    assert.equal(got[0].data, 'text-中文');
    assert.deepEqual(Array.from(new Uint8Array(got[1].data)), [1, 10, 255]);
    await until(() => session.acked.size === 2, 5000, 'the acks');
    const closed = waitForEvent(socket, 'close', 5000);
    socket.close();
    await closed;
    await until(() => session.ended, 5000, 'bye');
  });

  test('a refused resume is a new session: session event, then recovered:false with the reason', async () => {
    const { socket, wx } = open();
    await waitForEvent(socket, 'open', 5000);
    const first = server.session.id;
    server.refuseNextResume('session-expired');
    const newSession = waitForEvent(socket, 'session', 10000);
    const recovered = waitForEvent(socket, 'recovered', 10000);
    wx.lastTask.terminate();
    assert.notEqual((await newSession).id, first);
    assert.deepEqual(await recovered, { recovered: false, reason: 'session-expired', replayed: 0 });
    await closeSocket(socket);
  });

  test('an incomplete replay: recovered:false with the reason, what could be replayed was', async () => {
    const { socket, wx, got } = open({ ackIntervalMs: 10 });
    await waitForEvent(socket, 'open', 5000);
    const session = server.session;
    await proxy.stop();
    await until(() => session.ws === null, 5000, 'suspended');
    ['a', 'b', 'c', 'd'].forEach((b) => server.push(b));
    server.incompleteNextReplay('history-evicted');
    const recovered = waitForEvent(socket, 'recovered', 10000);
    await proxy.start();
    assert.deepEqual(await recovered, { recovered: false, reason: 'history-evicted', replayed: 2 });
    assert.deepEqual(got.map((m) => m.data), ['a', 'b']);
    assert.ok(wx.connects.length >= 2);
  });
});

test('a server that does not echo wx.session.v1: raw socket, said in the open event', async () => {
  const server = await startSessionServer({ echoProtocol: false });
  try {
    const wx = createWsWx();
    const socket = createSocket({ url: server.url, wx, sessionStorageKey: null });
    const opened = await waitForEvent(socket, 'open', 5000);
    assert.equal(opened.session, null);
    assert.equal(opened.rawReason, 'handshake-rejected'); // ws, like Chromium, fails such a handshake
    assert.deepEqual(wx.connects[0].protocols, ['wx.session.v1']);
    assert.equal(wx.connects[1].protocols, undefined, 'the retry offers nothing');
    await closeSocket(socket);
  } finally {
    await server.close();
  }
});
