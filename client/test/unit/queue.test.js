'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { createSocket } = require('../../index.js');
const { setup, flush, recordEvents } = require('../support/fake-wx.js');

test('messages sent before open are queued and flushed in order on open', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  const results = [socket.send('a'), socket.send(buffer), socket.send('c')];
  assert.deepEqual(wx.lastTask.sent, [], 'nothing may reach wx before onOpen');
  wx.lastTask.triggerOpen();
  assert.deepEqual(wx.lastTask.sent, ['a', buffer, 'c']);
  await Promise.all(results);
});

test('a send from an open listener goes after the queued messages', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  socket.send('queued');
  socket.on('open', () => socket.send('from-open'));
  wx.lastTask.triggerOpen();
  assert.deepEqual(wx.lastTask.sent, ['queued', 'from-open']);
});

test('messages sent while reconnecting are queued and flushed on the new socket', async () => {
  const { wx, timers, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  await socket.send('first');
  wx.lastTask.triggerClose(1006);
  assert.equal(socket.state, 'waiting');
  const pending = [socket.send('second'), socket.send('third')];
  timers.tick(0);
  assert.equal(wx.tasks.length, 2);
  assert.deepEqual(wx.tasks[1].sent, []);
  wx.tasks[1].triggerOpen();
  assert.deepEqual(wx.tasks[1].sent, ['second', 'third']);
  assert.deepEqual(wx.tasks[0].sent, ['first']);
  await Promise.all(pending);
});

test('the queue is bounded: past maxQueue send rejects with QUEUE_FULL', async () => {
  const { wx, options } = setup({ maxQueue: 3, heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const accepted = [socket.send('1'), socket.send('2'), socket.send('3')];
  await assert.rejects(socket.send('4'), (err) => err.code === 'QUEUE_FULL');
  wx.lastTask.triggerOpen();
  await Promise.all(accepted);
  assert.deepEqual(wx.lastTask.sent, ['1', '2', '3']);
  await socket.send('5'); // room again once flushed
});

test('send resolves on wx success and rejects with SEND_FAILED on wx failure', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  wx.lastTask.triggerOpen();
  await socket.send('ok');
  wx.lastTask.sendFails = true;
  await assert.rejects(socket.send('ko'), (err) => err.code === 'SEND_FAILED' && /fail/.test(err.message));
});

test('send rejects anything but strings, ArrayBuffers and typed-array views', async () => {
  const { options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  await assert.rejects(socket.send({ a: 1 }), TypeError);
  await assert.rejects(socket.send(42), TypeError);
  await assert.rejects(socket.send([1, 2]), TypeError);
  await assert.rejects(socket.send(null), TypeError);
});

test('received strings and ArrayBuffers are emitted as message events', async () => {
  const { wx, options } = setup({ heartbeatIntervalMs: 0 });
  const socket = createSocket(options);
  const events = recordEvents(socket);
  wx.lastTask.triggerOpen();
  const buffer = new ArrayBuffer(4);
  wx.lastTask.triggerMessage('hello');
  wx.lastTask.triggerMessage(buffer);
  assert.deepEqual(events.of('message'), ['hello', buffer]);
  await flush();
});
