'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket, WxGatewaySocket } = require('../../index.js');
const { setup, recordEvents } = require('../support/fake-wx.js');

function firstRequest(overrides) {
  const { wx, options } = setup(overrides);
  createSocket(options);
  return wx.connects[0];
}

test("tokenIn 'both' (default): Authorization header and token query parameter", () => {
  const req = firstRequest({ token: 'a b/c' });
  assert.equal(req.url, 'wss://gw.example.com/ws?token=a%20b%2Fc');
  assert.equal(req.header.Authorization, 'Bearer a b/c');
});

test("tokenIn 'header': header only", () => {
  const req = firstRequest({ token: 'abc', tokenIn: 'header' });
  assert.equal(req.url, 'wss://gw.example.com/ws');
  assert.equal(req.header.Authorization, 'Bearer abc');
});

test("tokenIn 'query': query only, custom parameter name, existing query kept", () => {
  const req = firstRequest({ url: 'wss://gw.example.com/ws?app=1', token: 'é&=', tokenIn: 'query', tokenQueryParam: 'access_token' });
  assert.equal(req.url, 'wss://gw.example.com/ws?app=1&access_token=%C3%A9%26%3D');
  assert.equal(req.header.Authorization, undefined);
});

test('extra headers and protocols are passed to wx.connectSocket; no token, no Authorization', () => {
  // session: false passes the app's protocols untouched (session.test.js: wx.session.v1 goes first by default).
  const req = firstRequest({ header: { 'X-App-Version': '1.2.3' }, protocols: ['wxgw.v1'], session: false });
  assert.deepEqual(req.header, { 'X-App-Version': '1.2.3' });
  assert.deepEqual(req.protocols, ['wxgw.v1']);
  assert.equal(req.url, 'wss://gw.example.com/ws');
  assert.equal(typeof req.fail, 'function');
});

test('the caller header object is not mutated', () => {
  const header = { 'X-A': '1' };
  firstRequest({ header, token: 't' });
  assert.deepEqual(header, { 'X-A': '1' });
});

test('invalid options throw at construction', () => {
  const { options } = setup();
  const bad = [
    { url: 'https://gw.example.com/ws' },
    { url: undefined },
    { tokenIn: 'cookie' },
    { token: 42 },
    { getToken: 'nope' },
    { maxQueue: -1 },
    { backoffBaseMs: 'fast' },
    { terminalCodes: 4001 },
    { timers: { setTimeout() {} } }
  ];
  for (const override of bad) {
    assert.throws(() => createSocket(Object.assign({}, options, override)), TypeError, JSON.stringify(override));
  }
  assert.throws(() => createSocket(), TypeError);
});

test('without options.wx and without a global wx it throws a clear error', () => {
  assert.throws(() => createSocket({ url: 'wss://x/ws' }), /no wx object/);
});

test('the global wx is used when options.wx is absent', () => {
  const { wx, options } = setup();
  global.wx = wx;
  try {
    createSocket(Object.assign({}, options, { wx: undefined }));
    assert.equal(wx.connects.length, 1);
  } finally {
    delete global.wx;
  }
});

test('autoConnect: false waits for connect(); new WxGatewaySocket works like createSocket', () => {
  const { wx, options } = setup({ autoConnect: false });
  const socket = new WxGatewaySocket(options);
  assert.equal(socket.state, 'idle');
  assert.equal(wx.connects.length, 0);
  assert.equal(socket.connect(), socket);
  socket.connect();
  assert.equal(wx.connects.length, 1);
  assert.equal(socket.state, 'connecting');
});

test('on/off: unknown events throw, off removes, a throwing listener does not break others', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  assert.throws(() => socket.on('opne', () => {}), TypeError);
  assert.throws(() => socket.on('open', 'not a function'), TypeError);
  const got = [];
  const a = (d) => got.push('a:' + d);
  const originalConsoleError = console.error;
  console.error = () => {};
  try {
    socket.on('message', () => { throw new Error('app bug'); });
    socket.on('message', a);
    wx.lastTask.triggerOpen();
    wx.lastTask.triggerMessage('1');
    assert.equal(socket.off('message', a), socket);
    wx.lastTask.triggerMessage('2');
  } finally {
    console.error = originalConsoleError;
  }
  assert.deepEqual(got, ['a:1']);
  assert.equal(socket.state, 'open');
});

test('an error event without listeners does not throw', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerError('boom');
  assert.equal(socket.state, 'open');
  const events = recordEvents(socket);
  wx.lastTask.triggerError('boom again');
  assert.equal(events.of('error')[0].code, 'SOCKET_ERROR');
});
