'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket, CloseCodes, shouldReconnect } = require('../../index.js');
const { setup, flush, recordEvents } = require('../support/fake-wx.js');

function openAndCloseWith(code, overrides) {
  const { wx, timers, options } = setup(Object.assign({ heartbeatIntervalMs: 0 }, overrides));
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(code, 'server says ' + code);
  return { wx, timers, socket, events };
}

test('CloseCodes names the gateway codes', () => {
  assert.equal(CloseCodes.NORMAL, 1000);
  assert.equal(CloseCodes.GOING_AWAY, 1001);
  assert.equal(CloseCodes.ABNORMAL, 1006);
  assert.equal(CloseCodes.INVALID_PAYLOAD, 1007);
  assert.equal(CloseCodes.POLICY_VIOLATION, 1008);
  assert.equal(CloseCodes.MESSAGE_TOO_BIG, 1009);
  assert.equal(CloseCodes.INTERNAL_ERROR, 1011);
  assert.equal(CloseCodes.TRY_AGAIN_LATER, 1013);
  assert.equal(CloseCodes.IDLE_TIMEOUT, 4000);
  assert.equal(CloseCodes.TOKEN_EXPIRED, 4001);
  assert.equal(CloseCodes.REPLACED, 4002);
  assert.equal(CloseCodes.FORBIDDEN, 4003);
  assert.ok(Object.isFrozen(CloseCodes));
});

for (const code of [1000, 1007, 1009, 4001, 4002, 4003, 4100, 4999, 3000]) {
  test(`server close ${code} is terminal: close event, no reconnect`, () => {
    const { wx, timers, socket, events } = openAndCloseWith(code);
    timers.tick(60000);
    assert.equal(wx.connects.length, 1);
    assert.equal(events.of('reconnecting').length, 0);
    assert.deepEqual(events.of('close'), [{ code, reason: 'server says ' + code, cause: 'terminal-code' }]);
    assert.equal(socket.state, 'closed');
  });
}

for (const code of [1001, 1006, 1008, 1011, 1013, 4000, 1012]) {
  test(`server close ${code} reconnects`, () => {
    const { wx, timers, socket, events } = openAndCloseWith(code);
    assert.equal(events.of('reconnecting').length, 1);
    assert.equal(events.of('close').length, 0, 'close is only emitted when the socket stops for good');
    timers.tick(0);
    assert.equal(wx.connects.length, 2);
    assert.equal(socket.state, 'connecting');
  });
}

test('an onClose without a code (old base libraries) counts as 1006 and reconnects', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  wx.lastTask._fire('close', {});
  assert.equal(events.of('reconnecting').length, 1);
});

test('4001 reconnects when getToken is configured, and getToken runs before every connect', async () => {
  let calls = 0;
  const getToken = () => Promise.resolve('fresh-' + ++calls);
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, getToken, tokenIn: 'both' });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  assert.equal(wx.connects.length, 0, 'waits for the token');
  await flush();
  assert.equal(calls, 1);
  assert.equal(wx.connects[0].header.Authorization, 'Bearer fresh-1');
  assert.equal(wx.connects[0].url, 'wss://gw.example.com/ws?token=fresh-1');
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(4001, 'token expired');
  assert.equal(events.of('reconnecting').length, 1);
  timers.tick(0);
  await flush();
  assert.equal(calls, 2);
  assert.equal(wx.connects[1].header.Authorization, 'Bearer fresh-2');
  assert.equal(wx.connects[1].url, 'wss://gw.example.com/ws?token=fresh-2');
  wx.lastTask.triggerClose(1006); // a failed handshake: getToken again
  timers.tick(1000);
  await flush();
  assert.equal(calls, 3);
  assert.equal(wx.connects.length, 3);
  assert.equal(socket.state, 'connecting');
});

test('a failing getToken emits TOKEN_ERROR and retries like a failed handshake', async () => {
  let calls = 0;
  const getToken = () => (++calls < 3 ? Promise.reject(new Error('login server down')) : 'ok');
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, getToken });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  await flush();
  assert.equal(events.of('error')[0].code, 'TOKEN_ERROR');
  assert.equal(events.of('reconnecting').length, 1);
  timers.tick(0);
  await flush();
  timers.tick(0);
  await flush();
  assert.equal(calls, 3);
  assert.equal(wx.connects.length, 1);
  assert.equal(wx.connects[0].header.Authorization, 'Bearer ok');
  assert.equal(socket.state, 'connecting');
});

test('terminalCodes and retryCodes override the defaults', () => {
  let r = openAndCloseWith(4100, { retryCodes: [4100] });
  assert.equal(r.events.of('reconnecting').length, 1);
  r = openAndCloseWith(1001, { terminalCodes: [1001] });
  assert.equal(r.events.of('close')[0].cause, 'terminal-code');
  r = openAndCloseWith(4002, { retryCodes: [4002], terminalCodes: [4002] });
  assert.equal(r.events.of('reconnecting').length, 1, 'retryCodes wins');
  assert.equal(shouldReconnect(4001, { hasGetToken: false }), false);
  assert.equal(shouldReconnect(4001, { hasGetToken: true }), true);
  assert.equal(shouldReconnect(4001, { terminalCodes: [4001], hasGetToken: true }), false);
});

test('after maxFailedHandshakes attempts that never open (error then close), it stops', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, maxFailedHandshakes: 3 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  for (let i = 0; i < 3; i++) {
    wx.lastTask.triggerError('HTTP 503'); // how a refused handshake looks in a mini program
    wx.lastTask.triggerClose(1006);
    timers.tick(0);
  }
  assert.equal(wx.connects.length, 3);
  assert.equal(events.of('reconnecting').length, 2);
  assert.equal(events.of('error').length, 3, 'the late onClose of each attempt is ignored, errors are not');
  assert.deepEqual(events.of('close'), [{ code: 1006, reason: 'HTTP 503', cause: 'handshake-failed', status: 503 }]);
  assert.equal(socket.state, 'closed');
});

test('one successful open resets the failed handshake count', () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0, maxFailedHandshakes: 2 });
  const socket = createSocket(options);
  wx.lastTask.triggerClose(1006);
  timers.tick(0);
  wx.lastTask.triggerOpen();
  wx.lastTask.triggerClose(1006);
  timers.tick(1000);
  wx.lastTask.triggerClose(1006);
  assert.equal(socket.state, 'waiting');
  timers.tick(1000);
  wx.lastTask.triggerClose(1006);
  assert.equal(socket.state, 'closed');
});

test('connectSocket fail (e.g. domain not in the whitelist) counts as a failed handshake', () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerConnectFail('connectSocket:fail url not in domain list');
  assert.equal(events.of('error')[0].code, 'SOCKET_ERROR');
  assert.match(events.of('error')[0].message, /domain list/);
  assert.equal(socket.state, 'waiting');
});
