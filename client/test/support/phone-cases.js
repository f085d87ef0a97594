'use strict';

// Integration cases for issue 16 (a phone that goes offline, to the background and
// meets a dead-but-open socket), run by test/integration/gateway.test.js against the
// real gateway it started (with subprotocol wxgw.v1 and AppID wxintegrationtest).

const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { startProxy } = require('./tcp-proxy.js');
const { freePort } = require('./gateway-process.js');
const { waitForEvent, collectMessages, until } = require('./wait.js');

const TEST_TIMEOUT_MS = 90000;
const ECHO_TIMEOUT_MS = 30000;
// Longer than the old SDK's give-up: 5 failed handshakes took at most ~16 s with the
// default backoff (7.5 s with the 2 s cap used here), after which it stopped for good.
const OUTAGE_MS = 20000;
const BACKGROUND_MS = 10000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {() => {wsUrl: string}} gateway
 * @param {(options: object, wxOptions?: object) => {wx: object, socket: object}} open
 */
function definePhoneCases(gateway, open) {
  const proxies = [];
  // A listening proxy would keep the test process alive after the last test.
  after(() => Promise.all(proxies.map((p) => p.stop())));

  async function echo(socket, text) {
    const back = waitForEvent(socket, 'message', ECHO_TIMEOUT_MS, (d) => d === text);
    await socket.send(text);
    assert.equal(await back, text);
  }

  async function proxied(options) {
    const proxy = await startProxy(Number(new URL(gateway().wsUrl).port));
    proxies.push(proxy);
    const opened = open(Object.assign({ url: proxy.url('/ws') }, options));
    await waitForEvent(opened.socket, 'open', 15000);
    return Object.assign({ proxy }, opened);
  }

  test('the gateway\'s listener gone for 20 s: the SDK keeps trying and reconnects by itself when it is back', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket, proxy } = await proxied({ backoffCapMs: 2000 });
    await echo(socket, 'before-outage');
    await proxy.stop();
    await sleep(OUTAGE_MS);
    assert.notEqual(socket.state, 'closed', 'still trying after ' + OUTAGE_MS / 1000 + ' s');
    assert.ok(wx.connects.length > 6, 'more attempts than the old limit of 5: ' + wx.connects.length);
    const reconnected = waitForEvent(socket, 'reconnected', 15000);
    await proxy.start();
    await reconnected;
    await echo(socket, 'after-outage');
  });

  test('offline: no attempts while wx reports no network, a reconnect at once when isConnected turns true', { timeout: TEST_TIMEOUT_MS }, async () => {
    // backoffBaseMs 20 s: a reconnect within a few seconds can only be the network's doing.
    const { wx, socket, proxy } = await proxied({ backoffBaseMs: 20000, random: () => 0.999 });
    wx.setNetwork(false);
    await proxy.stop(); // the phone's connection dies with its network
    await until(() => socket.state === 'waiting', 10000, 'the drop');
    const attempts = wx.connects.length;
    await sleep(3000);
    assert.equal(wx.connects.length, attempts, 'no attempt while offline');
    assert.equal(socket.waitingFor, 'network');
    await proxy.start();
    const reconnected = waitForEvent(socket, 'reconnected', 5000);
    wx.setNetwork(true, '4g');
    await reconnected;
    await echo(socket, 'back-online');
  });

  test('10 s in the background with a dead-but-open socket: no message sent into it is reported as sent', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket } = open({ probeTimeoutMs: 2000 });
    await waitForEvent(socket, 'open', 15000);
    await echo(socket, 'before-background');
    wx.triggerAppHide();
    const dead = wx.lastTask;
    dead.freeze(); // the runtime killed it silently, as it does 5-10 s into the background
    const sentBefore = dead.sent.length;
    await sleep(BACKGROUND_MS);
    const echoes = collectMessages(socket, 2, ECHO_TIMEOUT_MS);
    const sends = [socket.send('sent-in-background')];
    wx.triggerAppShow();
    sends.push(socket.send('sent-after-show'));
    await Promise.all(sends);
    assert.deepEqual(dead.sent.slice(sentBefore).filter((d) => d !== 'ping'), [], 'only probes went into the dead socket');
    assert.deepEqual(await echoes, ['sent-in-background', 'sent-after-show'], 'what was reported sent arrived');
    assert.equal(wx.connects.length, 2);
  });

  test('wx.connectSocket options pass through; open reports the negotiated subprotocol and the response headers', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { wx, socket } = open({ protocols: ['nope', 'wxgw.v1'], tcpNoDelay: true, perMessageDeflate: false, timeout: 5000, forceCellularNetwork: false });
    const opened = await waitForEvent(socket, 'open', 15000);
    assert.equal(opened.protocol, 'wxgw.v1');
    assert.equal(opened.header['sec-websocket-protocol'], 'wxgw.v1');
    assert.equal(typeof opened.profile, 'object');
    const asked = wx.connects[0];
    assert.deepEqual([asked.tcpNoDelay, asked.perMessageDeflate, asked.timeout, asked.forceCellularNetwork], [true, false, 5000, false]);
    await echo(socket, 'with-subprotocol');
  });

  test('a refusal (403, AppID not allowed) stops at once; no network is retried', { timeout: TEST_TIMEOUT_MS }, async () => {
    const refused = open({}, { appId: 'wxnotallowed' });
    const errors = [];
    refused.socket.on('error', (err) => errors.push(err));
    const closed = await waitForEvent(refused.socket, 'close', 15000);
    assert.deepEqual([closed.cause, closed.status], ['refused', 403]);
    assert.equal(errors[0].kind, 'refused');
    assert.equal(refused.wx.connects.length, 1);

    const nobody = open({ url: 'ws://127.0.0.1:' + (await freePort()) + '/ws', backoffCapMs: 200 });
    const unreachable = [];
    nobody.socket.on('error', (err) => unreachable.push(err));
    await until(() => unreachable.length >= 3, 10000, 'three failed attempts');
    assert.equal(unreachable[0].kind, 'network');
    assert.notEqual(nobody.socket.state, 'closed');
  });
}

module.exports = { definePhoneCases };
