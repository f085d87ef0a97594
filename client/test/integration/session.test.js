'use strict';

// The SDK against one real gateway started with --demo-echo (gateway.test.js's pattern),
// speaking wx.session.v1: a message comes back as a push with a position; the TCP proxy
// in front of the gateway is cut (no close frame) and the SDK resumes: recovered:true.
// Needs the built distribution, like gateway.test.js; WXGW_SESSION_IT=0 skips it.

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { createWsWx } = require('../support/ws-wx.js');
const { startGateway } = require('../support/gateway-process.js');
const { startProxy } = require('../support/tcp-proxy.js');
const { waitForEvent, closeSocket } = require('../support/wait.js');

const ENABLED = process.env.WXGW_SESSION_IT !== '0';
const TEST_TIMEOUT_MS = 90000;
const ECHO_TIMEOUT_MS = 30000;

describe('wx.session.v1 against the real gateway (--demo-echo)', { skip: !ENABLED && 'WXGW_SESSION_IT=0' }, () => {
  let gateway = null;
  let proxy = null;

  before(async () => {
    gateway = await startGateway({ WXGW_GATEWAY_HANDSHAKE_APP_IDS: 'wxintegrationtest' });
    proxy = await startProxy(Number(new URL(gateway.wsUrl).port));
  }, { timeout: 120000 });

  after(async () => {
    if (proxy) await proxy.stop();
    if (gateway) await gateway.stop();
  }, { timeout: 30000 });

  test('echo as a push with a position; the socket cut; resumed with recovered:true', { timeout: TEST_TIMEOUT_MS }, async () => {
    const wx = createWsWx();
    const socket = createSocket({ url: proxy.url('/ws'), wx, token: 'it-session', random: () => 0, sessionStorageKey: null });
    socket.on('error', () => {});
    try {
      const opened = await waitForEvent(socket, 'open', 15000);
      assert.equal(opened.protocol, 'wx.session.v1');
      const echo = new Promise((resolve) => socket.on('message', (data, info) => { if (data === 'session-hello') resolve(info); }));
      await socket.send('session-hello');
      const info = await Promise.race([echo, new Promise((_, reject) => setTimeout(() => reject(new Error('no echo')), ECHO_TIMEOUT_MS))]);
      assert.match(info.position, /^\d+:\d+$/);

      const recovered = waitForEvent(socket, 'recovered', 60000);
      await proxy.stop(); // the phone's connection dies without a close frame
      await proxy.start();
      const outcome = await recovered;
      assert.equal(outcome.recovered, true, JSON.stringify(outcome));
      assert.ok(wx.connects.length >= 2, 'reconnected');
    } finally {
      await closeSocket(socket).catch(() => {});
      wx.terminateAll();
    }
  });

  test('a message whose socket died under it is sent again after the resume and reaches the backend', { timeout: TEST_TIMEOUT_MS }, async () => {
    const wx = createWsWx();
    const socket = createSocket({ url: proxy.url('/ws'), wx, token: 'it-session-2', random: Math.random, sessionStorageKey: null });
    socket.on('error', () => {});
    const echoes = [];
    socket.on('message', (data) => echoes.push(data));
    const echoed = (text) => new Promise((resolve, reject) => {
      const deadline = Date.now() + ECHO_TIMEOUT_MS;
      const check = () => {
        if (echoes.includes(text)) resolve();
        else if (Date.now() > deadline) reject(new Error('no echo of ' + text + '; got ' + JSON.stringify(echoes)));
        else setTimeout(check, 50);
      };
      check();
    });
    try {
      await waitForEvent(socket, 'open', 15000);
      await socket.send('before-the-gap');
      await echoed('before-the-gap');
      proxy.swallow(); // the phone goes to the background: what it writes now never arrives
      await socket.send('lost-in-the-gap'); // handed to the socket, as wx reports it
      const recovered = waitForEvent(socket, 'recovered', 60000);
      await proxy.stop(); // then the system kills the socket
      await proxy.start();
      assert.equal((await recovered).recovered, true);
      await echoed('lost-in-the-gap');
      assert.equal(echoes.filter((e) => e === 'before-the-gap').length, 1, 'a confirmed message is not sent again');
    } finally {
      await closeSocket(socket).catch(() => {});
      wx.terminateAll();
    }
  });
});
