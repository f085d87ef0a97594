'use strict';

// Issue 16, item 7: what wx.connectSocket and onOpen offer reaches through the SDK.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

test('tcpNoDelay, perMessageDeflate, timeout and forceCellularNetwork pass through to wx.connectSocket', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0, tcpNoDelay: true, perMessageDeflate: true, timeout: 8000, forceCellularNetwork: true });
  createSocket(options);
  const request = wx.connects[0];
  assert.equal(request.tcpNoDelay, true);
  assert.equal(request.perMessageDeflate, true);
  assert.equal(request.timeout, 8000);
  assert.equal(request.forceCellularNetwork, true);
});

test('pass-through options of the wrong type throw at createSocket()', () => {
  const { options } = setup({ heartbeatIntervalMs: 0 });
  assert.throws(() => createSocket(Object.assign({}, options, { tcpNoDelay: 'yes' })), /tcpNoDelay must be a boolean/);
  assert.throws(() => createSocket(Object.assign({}, options, { timeout: 0 })), /timeout must be a number of ms > 0/);
  assert.throws(() => createSocket(Object.assign({}, options, { timeout: '5000' })), /timeout must be a number/);
  assert.throws(() => createSocket(Object.assign({}, options, { maxQueueBytes: -1 })), /maxQueueBytes must be a number >= 0/);
});

test('options left out are not sent to wx.connectSocket', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  createSocket(options);
  for (const key of ['tcpNoDelay', 'perMessageDeflate', 'timeout', 'forceCellularNetwork']) {
    assert.equal(key in wx.connects[0], false, key);
  }
});

test('the open event carries onOpen\'s header, the negotiated subprotocol and the profile', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0, protocols: ['wxgw.v2', 'wxgw.v1'] });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  const profile = { connectStart: 1, connectEnd: 20, handshakeCost: 12 };
  wx.lastTask.triggerOpen({ header: { 'Sec-WebSocket-Protocol': 'wxgw.v1', Server: 'x' }, profile });
  const open = events.of('open')[0];
  assert.equal(open.protocol, 'wxgw.v1');
  assert.deepEqual(open.header, { 'Sec-WebSocket-Protocol': 'wxgw.v1', Server: 'x' });
  assert.deepEqual(open.profile, profile);
});

test('error events tell an auth refusal from no network, where errMsg allows', () => {
  const cases = [
    ['Error during WebSocket handshake: Unexpected response code: 401', 'refused', 401],
    ["Expected HTTP 101 response but was '403 Forbidden'", 'refused', 403],
    ['Unexpected server response: 503', 'rejected', 503],
    ['connectSocket:fail exceed max concurrent count', 'socket-limit', null],
    ['connectSocket:fail network is down', 'network', null],
    ['connect ECONNREFUSED 127.0.0.1:443', 'network', null],
    ['something odd', 'unknown', null]
  ];
  for (const [errMsg, kind, status] of cases) {
    const { wx, options } = setup({ heartbeatIntervalMs: 0 });
    const socket = createSocket(options);
    const events = recordEvents(socket);
    wx.lastTask.triggerError(errMsg);
    const err = events.of('error')[0];
    assert.equal(err.kind, kind, errMsg);
    assert.equal(err.status, status, errMsg);
  }
});
