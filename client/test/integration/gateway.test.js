'use strict';

// End-to-end: the SDK, through a `ws`-based wx stand-in, against the real gateway
// started from the built distribution with its demo echo backend (every message
// comes back to the socket that sent it, text as text, binary as binary).
// Needs `mvn -B -DskipTests package` first; fails (does not skip) without it.

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { createWsWx } = require('../support/ws-wx.js');
const { startGateway } = require('../support/gateway-process.js');
const { waitForEvent, collectMessages, until, closeSocket, describeMessage } = require('../support/wait.js');
const { definePhoneCases } = require('../support/phone-cases.js');

const TEST_TIMEOUT_MS = 60000;
const ECHO_TIMEOUT_MS = 30000; // the echo goes through Kafka and back

describe('wx-gateway-client against the real gateway (--demo-echo)', () => {
  let gateway = null;
  const sockets = [];
  const stands = [];

  before(async () => {
    // The stand-in sends this AppID in its Referer; the subprotocol is optional for clients.
    gateway = await startGateway({ WXGW_GATEWAY_HANDSHAKE_APP_IDS: 'wxintegrationtest', WXGW_GATEWAY_HANDSHAKE_SUBPROTOCOLS: 'wxgw.v1' });
  }, { timeout: 120000 });

  after(async () => {
    await Promise.all(sockets.map((s) => closeSocket(s).catch(() => {})));
    stands.forEach((wx) => wx.terminateAll());
    if (gateway) await gateway.stop();
  }, { timeout: 30000 });

  /** A socket on a fresh stand-in, closed in after(). */
  function open(options, wxOptions) {
    const wx = createWsWx(wxOptions);
    stands.push(wx);
    // These cases pin the raw protocol (ping/pong, the app's subprotocols, one connect per open);
    // wx.session.v1 against real gateways is session-cluster.test.js.
    const socket = createSocket(Object.assign({ url: gateway.wsUrl, wx, session: false }, options));
    sockets.push(socket);
    socket.on('error', () => {}); // failures show up as assertion timeouts with context
    return { wx, socket };
  }

  test('echoes strings and ArrayBuffers in order, including messages queued before open', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { socket } = open({ token: 'it-token' });
    const opened = waitForEvent(socket, 'open', 15000);
    const expected = [];
    const sends = [];
    for (let i = 0; i < 20; i++) {
      const data = i % 2 === 0 ? 'text-' + i + '-中文' : new Uint8Array([i, 0, 255, i * 3]).buffer;
      expected.push(describeMessage(data));
      sends.push(socket.send(data)); // all queued: the socket is not open yet
    }
    const echoes = collectMessages(socket, 20, ECHO_TIMEOUT_MS);
    await opened;
    await Promise.all(sends);
    assert.deepEqual((await echoes).map(describeMessage), expected);
  });

  test('the ping heartbeat is answered with pong, which is not emitted nor forwarded', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket } = open({ heartbeatIntervalMs: 300, heartbeatTimeoutMs: 10000 });
    const messages = [];
    socket.on('message', (data) => messages.push(data));
    let reconnects = 0;
    socket.on('reconnecting', () => reconnects++);
    await waitForEvent(socket, 'open', 15000);
    await until(() => wx.lastTask.received.indexOf('pong') !== -1, 10000, 'a pong from the gateway');
    assert.ok(wx.lastTask.sent.indexOf('ping') !== -1, 'the SDK sent ping');
    // The echo of a marker sent after the pings comes back after anything the pings
    // would have produced, had the gateway forwarded them to the echo backend.
    const marker = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS, (d) => d === 'after-ping');
    await socket.send('after-ping');
    await marker;
    assert.deepEqual(messages, ['after-ping'], 'no pong (nor ping echo) reaches message listeners');
    assert.equal(wx.lastTask.received.indexOf('ping'), -1, 'ping is answered by the gateway, not echoed');
    assert.equal(reconnects, 0);
  });

  test('reconnects after the connection is dropped and echoes again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket } = open({ random: () => 0, token: 'it-token' });
    await waitForEvent(socket, 'open', 15000);
    const firstEcho = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS);
    await socket.send('before-drop');
    assert.equal(await firstEcho, 'before-drop');

    const reconnecting = waitForEvent(socket, 'reconnecting', 10000);
    const reconnected = waitForEvent(socket, 'reconnected', 15000);
    wx.lastTask.terminate(); // abrupt: no close frame, like a phone losing its network
    assert.deepEqual(await reconnecting, { attempt: 1, delayMs: 0 });
    assert.deepEqual(await reconnected, { attempt: 1 });
    assert.equal(wx.connects.length, 2);

    const secondEcho = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS);
    await socket.send(new Uint8Array([7, 7, 7]).buffer);
    assert.deepEqual(describeMessage(await secondEcho), { bytes: [7, 7, 7] });
  });

  /**
   * An echo proves the gateway has registered the socket (it is delivered by connection id): the
   * SDK's open can come a scheduling delay before that, and a listing made in between misses it.
   */
  async function echoOnce(socket, text) {
    const echo = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS, (d) => d === text);
    await socket.send(text);
    await echo;
  }

  /** Closes every open socket through the gateway's admin API, as an operator would. */
  async function closeAllThroughAdmin(code, reason) {
    const list = await gateway.admin('GET', '/admin/connections');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    for (const c of list.body.connections) {
      const closed = await gateway.admin('POST', '/admin/connections/' + c.connectionId + '/close', { code, reason });
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
    }
    return list.body.connections.map((c) => c.connectionId);
  }

  /** What a test that waited in vain saw: the sockets the admin API closed, the stand-in's tasks, the gateway's log. */
  function explain(err, closedIds, wx) {
    err.message += '\nclosed through the admin API: ' + JSON.stringify(closedIds) +
      '\nthe stand-in\'s sockets closed with: ' + JSON.stringify(wx.tasks.map((t) => t.closedWith || 'open')) +
      '\n--- gateway log ---\n' + gateway.logTail();
    return err;
  }

  test('reconnects after the gateway closes the socket with 1001 (admin API) and echoes again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket } = open({ random: () => 0 });
    await waitForEvent(socket, 'open', 15000);
    const reconnecting = waitForEvent(socket, 'reconnecting', 15000);
    const reconnected = waitForEvent(socket, 'reconnected', 20000);
    await echoOnce(socket, 'registered-before-1001');
    const closedIds = await closeAllThroughAdmin(1001, 'going away');
    assert.ok(closedIds.length >= 1);
    await Promise.all([reconnecting, reconnected]).catch((err) => { throw explain(err, closedIds, wx); });
    assert.ok(wx.connects.length >= 2);
    const echo = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS);
    await socket.send('after-server-close');
    assert.equal(await echo, 'after-server-close');
  });

  test('stops for good when the gateway closes with a terminal code (4002 replaced)', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket } = open({ random: () => 0 });
    await waitForEvent(socket, 'open', 15000);
    let reconnects = 0;
    socket.on('reconnecting', () => reconnects++);
    const closed = waitForEvent(socket, 'close', 20000);
    await echoOnce(socket, 'registered-before-4002');
    const closedIds = await closeAllThroughAdmin(4002, 'replaced');
    const event = await closed.catch((err) => { throw explain(err, closedIds, wx); });
    assert.equal(event.code, 4002);
    assert.equal(reconnects, 0);
    assert.equal(wx.connects.length, 1);
  });

  for (const tokenIn of ['header', 'query', 'both']) {
    test(`token in ${tokenIn}: connects and echoes`, { timeout: TEST_TIMEOUT_MS }, async () => {
      const token = 'tok/en+é=' + tokenIn;
      const { wx, socket } = open({ token, tokenIn });
      await waitForEvent(socket, 'open', 15000);
      const echo = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS);
      await socket.send('hello ' + tokenIn);
      assert.equal(await echo, 'hello ' + tokenIn);

      const asked = wx.connects[0];
      const query = new URL(asked.url).searchParams;
      assert.equal(query.get('token'), tokenIn === 'header' ? null : token);
      assert.equal(asked.header.Authorization, tokenIn === 'query' ? undefined : 'Bearer ' + token);
      await closeSocket(socket);
    });
  }

  definePhoneCases(() => gateway, open);
});
