'use strict';

// The session protocol wx.session.v1 with the fake wx: what the SDK writes and what the
// app sees, frame by frame.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, flush } = require('../support/fake-wx.js');

const ECHO = { header: { 'Sec-WebSocket-Protocol': 'wx.session.v1' } };

function welcome(task, fields) {
  task.triggerMessage(JSON.stringify(Object.assign({ t: 'welcome', v: 1, session: 's1', token: 's1.t1', connectionId: 'c1', resumed: false }, fields)));
}

function push(task, p, body, extra) {
  task.triggerMessage(JSON.stringify(Object.assign({ t: 'push', p: p, id: 'id-' + p }, extra)) + '\n' + body);
}

function withStorage(wx, initial) {
  const store = Object.assign({}, initial);
  wx.setStorageSync = (k, v) => { store[k] = v; };
  wx.getStorageSync = (k) => (k in store ? store[k] : '');
  wx.removeStorageSync = (k) => { delete store[k]; };
  return store;
}

/** A socket on the fake wx, welcomed as a new session; records messages and session events. */
function welcomed(overrides, storage) {
  const env = setup(Object.assign({ autoConnect: false }, overrides));
  const store = withStorage(env.wx, storage);
  const socket = createSocket(env.options);
  const got = [];
  const events = [];
  socket.on('message', (data, info) => got.push([data, info]));
  ['open', 'session', 'recovered', 'error'].forEach((n) => socket.on(n, (e) => events.push([n, e])));
  socket.connect();
  const task = env.wx.lastTask;
  task.triggerOpen(ECHO);
  welcome(task);
  return Object.assign(env, { socket, task, got, events, store });
}

const sentHeaders = (task) => task.sent.map((d) => JSON.parse(String(d).split('\n')[0]));

test('offers wx.session.v1 first, says hello first, opens on the welcome; session event', () => {
  const { wx, options } = setup({ protocols: ['wxgw.v1'], sessionStorageKey: null });
  const socket = createSocket(options);
  const events = [];
  ['open', 'session'].forEach((n) => socket.on(n, (e) => events.push([n, e])));
  assert.deepEqual(wx.connects[0].protocols, ['wx.session.v1', 'wxgw.v1']);
  wx.lastTask.triggerOpen(ECHO);
  assert.deepEqual(wx.lastTask.sent, ['{"t":"hello","v":1}']);
  assert.equal(socket.state, 'connecting', 'usable only once welcomed');
  socket.send('early');
  assert.equal(wx.lastTask.sent.length, 1, 'app messages wait for the welcome');
  welcome(wx.lastTask);
  assert.equal(socket.state, 'open');
  assert.deepEqual(wx.lastTask.sent.slice(1), ['{"t":"msg"}\nearly']);
  assert.deepEqual(events.map((e) => e[0]), ['open', 'session']);
  assert.deepEqual(events[0][1].session, { id: 's1', connectionId: 'c1', resumed: false });
  assert.deepEqual(events[1][1], { id: 's1', connectionId: 'c1', resumed: false });
});

test('msg framing: text as text, binary as header bytes + newline + body bytes', async () => {
  const { socket, task } = welcomed();
  await socket.send('hi\nthere');
  await socket.send(new Uint8Array([0, 10, 255]));
  assert.equal(task.sent[1], '{"t":"msg"}\nhi\nthere');
  const bin = new Uint8Array(task.sent[2]);
  assert.deepEqual(Array.from(bin), Array.from(Buffer.from('{"t":"msg"}\n')).concat([0, 10, 255]));
});

test('pushes reach the app with their payload type and position; binary stays ArrayBuffer', () => {
  const { task, got } = welcomed();
  push(task, '0:1', 'a\nb');
  const line = Buffer.from('{"t":"push","p":"1:7","id":"x"}\n');
  const frame = new Uint8Array(line.length + 2);
  frame.set(line, 0);
  frame.set([9, 8], line.length);
  task.triggerMessage(frame.buffer);
  assert.equal(got[0][0], 'a\nb');
  assert.deepEqual(got[0][1], { position: '0:1', id: 'id-0:1', replay: false });
  assert.ok(got[1][0] instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(got[1][0])), [9, 8]);
  assert.equal(got[1][1].position, '1:7');
});

test('dedupe by position, never by a watermark: out-of-order offsets all arrive, repeats do not', () => {
  const { task, got } = welcomed();
  ['0:5', '0:3', '1:1', '0:5', '0:4', '1:1', '0:3'].forEach((p) => push(task, p, 'm' + p, { replay: true }));
  assert.deepEqual(got.map((m) => m[1].position), ['0:5', '0:3', '1:1', '0:4']);
});

test('the seen set is bounded: the oldest positions are forgotten first', () => {
  const { task, got } = welcomed({ maxSeenPositions: 2 });
  ['0:1', '0:2', '0:3', '0:1', '0:3'].forEach((p) => push(task, p, p));
  assert.deepEqual(got.map((m) => m[0]), ['0:1', '0:2', '0:3', '0:1']);
});

test('acks go in batches: after ackIntervalMs, or at once at ackBatchSize', () => {
  const { task, timers } = welcomed({ ackIntervalMs: 100, ackBatchSize: 3 });
  const acks = () => sentHeaders(task).filter((h) => h.t === 'ack').map((h) => h.p);
  push(task, '0:1', 'a');
  push(task, '2:7', 'b');
  assert.deepEqual(acks(), []);
  timers.tick(100);
  assert.deepEqual(acks(), [['0:1', '2:7']]);
  ['0:2', '0:3', '0:2'].forEach((p) => push(task, p, p)); // a repeat is acked again: the gateway lacked it
  assert.deepEqual(acks()[1], ['0:2', '0:3', '0:2']);
  timers.tick(1000);
  assert.equal(acks().length, 2, 'nothing pending, nothing sent');
});

test('close(): pending acks, then bye, then the close; the stored token is forgotten', () => {
  const { socket, task, store } = welcomed({ ackIntervalMs: 100 });
  assert.equal(store['wxgw.session:wss://gw.example.com/ws'].token, 's1.t1');
  push(task, '0:9', 'x');
  socket.close();
  assert.deepEqual(task.sent.slice(-2), ['{"t":"ack","p":["0:9"]}', '{"t":"bye"}']);
  assert.deepEqual(task.closes, [{ code: 1000, reason: '' }]);
  assert.equal(store['wxgw.session:wss://gw.example.com/ws'], undefined);
});

test('hb replaces the ping; the gateway hb is swallowed and counts as liveness', () => {
  const { task, timers, got, socket } = welcomed({ heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 500 });
  timers.tick(1000);
  assert.equal(task.sent[task.sent.length - 1], '{"t":"hb"}');
  timers.tick(400);
  task.triggerMessage('{"t":"hb"}');
  timers.tick(300);
  assert.equal(socket.state, 'open', 'the hb answered the heartbeat');
  assert.equal(got.length, 0);
});

test('reconnect resumes with the last token; pending acks go right after the welcome', () => {
  const { wx, task, timers, events } = welcomed({ ackIntervalMs: 100 });
  push(task, '0:1', 'a');
  task.triggerClose(1006, '');
  timers.tick(0);
  const next = wx.lastTask;
  assert.notEqual(next, task);
  next.triggerOpen(ECHO);
  assert.deepEqual(next.sent, ['{"t":"hello","v":1,"resume":"s1.t1"}']);
  welcome(next, { token: 's1.t2', connectionId: 'c2', resumed: true });
  assert.deepEqual(next.sent[1], '{"t":"ack","p":["0:1"]}');
  next.triggerMessage('{"t":"recovered","recovered":true,"replayed":0}');
  assert.deepEqual(events.filter((e) => e[0] === 'recovered').map((e) => e[1]), [{ recovered: true, replayed: 0 }]);
  assert.equal(events.filter((e) => e[0] === 'session').length, 1, 'no session event for a resume');
  next.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  assert.deepEqual(wx.lastTask.sent[0], '{"t":"hello","v":1,"resume":"s1.t2"}', 'each welcome rotates the token');
});

test('after a background the socket is found dead and the session resumes at onAppShow', () => {
  const { wx, task, timers } = welcomed({ probeTimeoutMs: 1000 });
  wx.triggerAppHide();
  timers.tick(10000);
  wx.triggerAppShow();
  timers.tick(1000); // no answer to the probe: dead
  const next = wx.lastTask;
  assert.notEqual(next, task);
  next.triggerOpen(ECHO);
  assert.deepEqual(next.sent, ['{"t":"hello","v":1,"resume":"s1.t1"}']);
});

test('the network comes back: reconnect at once and resume', () => {
  const { wx, task, timers } = welcomed();
  wx.triggerNetwork(false);
  task.triggerClose(1006, '');
  const before = wx.connects.length;
  timers.tick(60000);
  assert.equal(wx.connects.length, before, 'no attempt while offline');
  wx.triggerNetwork(true);
  assert.equal(wx.connects.length, before + 1, 'at once');
  wx.lastTask.triggerOpen(ECHO);
  assert.deepEqual(wx.lastTask.sent, ['{"t":"hello","v":1,"resume":"s1.t1"}']);
});

test('the network comes back under a socket that looks open: the session resumes at once, no probe', () => {
  const { wx, task, timers } = welcomed();
  wx.triggerNetwork(false);
  assert.equal(wx.tasks.length, 1);
  wx.triggerNetwork(true);
  timers.tick(0);
  assert.equal(wx.tasks.length, 2, 'a new socket at once');
  assert.deepEqual(task.closes, [{ code: 4000, reason: 'network changed' }]);
  wx.lastTask.triggerOpen(ECHO);
  assert.deepEqual(wx.lastTask.sent, ['{"t":"hello","v":1,"resume":"s1.t1"}']);
});

test('a refused resume: new session (new token), then recovered:false with the reason', () => {
  const { wx, task, timers, events, store } = welcomed();
  task.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  welcome(wx.lastTask, { session: 's2', token: 's2.t1', resumed: false, recovered: false, reason: 'session-expired' });
  const names = events.map((e) => e[0]);
  assert.deepEqual(names, ['open', 'session', 'open', 'session', 'recovered']);
  assert.deepEqual(events[4][1], { recovered: false, reason: 'session-expired', replayed: 0 });
  assert.equal(store['wxgw.session:wss://gw.example.com/ws'].token, 's2.t1');
});

test('an incomplete replay: recovered:false with reason and replayed', () => {
  const { task, events } = welcomed();
  task.triggerMessage('{"t":"recovered","recovered":false,"reason":"history-evicted","replayed":3}');
  assert.deepEqual(events.pop(), ['recovered', { recovered: false, reason: 'history-evicted', replayed: 3 }]);
});

test('a page reload within the window resumes with the stored token; an older one is dropped', () => {
  const key = 'wxgw.session:wss://gw.example.com/ws';
  const fresh = setup({});
  withStorage(fresh.wx, { [key]: { token: 'old.tok', at: -60000 } });
  createSocket(fresh.options);
  fresh.wx.lastTask.triggerOpen(ECHO);
  assert.deepEqual(fresh.wx.lastTask.sent, ['{"t":"hello","v":1,"resume":"old.tok"}']);
  const stale = setup({});
  withStorage(stale.wx, { [key]: { token: 'old.tok', at: -120001 } });
  createSocket(stale.options);
  stale.wx.lastTask.triggerOpen(ECHO);
  assert.deepEqual(stale.wx.lastTask.sent, ['{"t":"hello","v":1}']);
});

test('no echo of the subprotocol: a raw socket, as today, and the open event says so', async () => {
  const { wx, options } = setup({ sessionStorageKey: null });
  const socket = createSocket(options);
  const opens = [];
  const got = [];
  socket.on('open', (e) => opens.push(e));
  socket.on('message', (d) => got.push(d));
  wx.lastTask.triggerOpen({ header: {} });
  assert.equal(socket.state, 'open');
  assert.equal(opens[0].session, null);
  assert.equal(opens[0].rawReason, 'not-echoed');
  await socket.send('plain');
  wx.lastTask.triggerMessage('{"t":"push","p":"0:1"}\nx');
  assert.deepEqual(wx.lastTask.sent, ['plain']);
  assert.deepEqual(got, ['{"t":"push","p":"0:1"}\nx'], 'raw frames reach the app untouched');
});

test('session: false is today\'s raw behaviour: protocols untouched, no hello, ping/pong', () => {
  const { wx, options, timers } = setup({ session: false, protocols: ['wxgw.v1'], heartbeatIntervalMs: 1000 });
  const socket = createSocket(options);
  const opens = [];
  socket.on('open', (e) => opens.push(e));
  assert.deepEqual(wx.connects[0].protocols, ['wxgw.v1']);
  wx.lastTask.triggerOpen(ECHO); // even an echo (a misconfigured server) does not switch it on
  assert.equal(opens[0].rawReason, 'disabled');
  timers.tick(1000);
  assert.deepEqual(wx.lastTask.sent, ['ping']);
});

test('no welcome within welcomeTimeoutMs: SESSION_ERROR, the socket is replaced', async () => {
  const { wx, options, timers } = setup({ welcomeTimeoutMs: 2000, sessionStorageKey: null });
  const socket = createSocket(options);
  const errors = [];
  socket.on('error', (e) => errors.push(e.code));
  wx.lastTask.triggerOpen(ECHO);
  timers.tick(2000);
  assert.deepEqual(errors, ['SESSION_ERROR']);
  assert.deepEqual(wx.tasks[0].closes, [{ code: 4000, reason: 'no welcome within 2000 ms after hello' }]);
  timers.tick(0);
  assert.equal(wx.tasks.length, 2);
  await flush();
});

test('a handshake refused with 400 while offering wx.session.v1: retried at once, raw, not counted', () => {
  const { wx, options } = setup({ sessionStorageKey: null });
  const socket = createSocket(options);
  const events = [];
  ['open', 'error', 'reconnecting'].forEach((n) => socket.on(n, (e) => events.push([n, e])));
  wx.lastTask.triggerError('Unexpected server response: 400');
  wx.tasks[0].triggerClose(1006, '');
  assert.equal(wx.tasks.length, 2);
  assert.equal(wx.connects[1].protocols, undefined);
  wx.lastTask.triggerOpen({ header: {} });
  assert.deepEqual(events.map((e) => e[0]), ['open']);
  assert.equal(events[0][1].rawReason, 'handshake-rejected');
  wx.lastTask.triggerError('Unexpected server response: 400'); // after open: an ordinary error
  assert.equal(events.length, 2);
});

test('confirmed messages: ids when the welcome says confirms; what got did not confirm goes again first after the resume', () => {
  const { wx, task, timers, socket } = welcomed({}, undefined);
  task.sent.length = 0;
  // this welcome did not say confirms: no ids, nothing kept
  socket.send('plain');
  assert.deepEqual(task.sent, ['{"t":"msg"}\nplain']);
  task.triggerClose(1006, '');
  timers.tick(0);
  const second = wx.lastTask;
  second.triggerOpen(ECHO);
  welcome(second, { token: 's1.t2', connectionId: 'c2', resumed: true, confirms: true });
  assert.deepEqual(second.sent.slice(1), [], 'a message sent before confirms is not sent again');
  socket.send('one');
  socket.send('two');
  const ids = sentHeaders(second).slice(1).map((h) => h.id);
  assert.equal(ids.length, 2);
  assert.match(ids[0], /^[a-z0-9]{10}\.1$/);
  assert.notEqual(ids[0], ids[1]);
  second.triggerMessage(JSON.stringify({ t: 'got', ids: [ids[0]] }));
  second.triggerClose(1006, ''); // 'two' was in flight when the phone lost the socket
  socket.send('three'); // queued while reconnecting
  timers.tick(0);
  const third = wx.lastTask;
  third.triggerOpen(ECHO);
  welcome(third, { token: 's1.t3', connectionId: 'c3', resumed: true, confirms: true });
  assert.deepEqual(third.sent.slice(1).map((d) => String(d).split('\n')[1]), ['two', 'three'], 'the unconfirmed one first, then the queue');
  assert.equal(sentHeaders(third)[1].id, ids[1], 'sent again with its id, so the backend can dedupe');
});

test('a refused resume still sends the unconfirmed messages again; a gateway that does not confirm gets none; close forgets them', () => {
  const { wx, task, timers, socket } = welcomed();
  task.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  welcome(wx.lastTask, { token: 's1.t2', resumed: true, confirms: true });
  socket.send('kept');
  wx.lastTask.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  welcome(wx.lastTask, { session: 's2', token: 's2.t1', resumed: false, reason: 'session-expired', confirms: true });
  assert.deepEqual(wx.lastTask.sent.slice(1).map((d) => String(d).split('\n')[1]), ['kept'], 'the page sent it; the new session gets it');
  wx.lastTask.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  welcome(wx.lastTask, { session: 's2', token: 's2.t2', resumed: true }); // an older node: no confirms
  assert.deepEqual(wx.lastTask.sent.slice(1), [], 'it could not say what arrived: nothing is sent twice to it');
});

test('the unconfirmed messages are bounded by maxQueue: the oldest is forgotten, with an error', () => {
  const { wx, task, timers, socket, events } = welcomed({ maxQueue: 2 });
  task.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  welcome(wx.lastTask, { token: 's1.t2', resumed: true, confirms: true });
  ['a', 'b', 'c'].forEach((m) => socket.send(m));
  const errors = events.filter((e) => e[0] === 'error').map((e) => e[1].code);
  assert.deepEqual(errors, ['UNCONFIRMED_DROPPED']);
  wx.lastTask.triggerClose(1006, '');
  timers.tick(0);
  wx.lastTask.triggerOpen(ECHO);
  welcome(wx.lastTask, { token: 's1.t3', resumed: true, confirms: true });
  assert.deepEqual(wx.lastTask.sent.slice(1).map((d) => String(d).split('\n')[1]), ['b', 'c']);
});
