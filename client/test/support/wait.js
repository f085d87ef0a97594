'use strict';

// Promise helpers for tests that talk to real sockets.

/** Resolves with the payload of the next `event` matching `predicate`, rejects after `timeoutMs`. */
function waitForEvent(socket, event, timeoutMs, predicate) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error('timed out after ' + timeoutMs + ' ms waiting for "' + event + '"'));
    }, timeoutMs);
    function listener(payload) {
      if (predicate && !predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    }
    socket.on(event, listener);
  });
}

/** Resolves with the next `count` messages, in arrival order. */
function collectMessages(socket, count, timeoutMs) {
  return new Promise((resolve, reject) => {
    const got = [];
    const timer = setTimeout(() => {
      socket.off('message', listener);
      reject(new Error('timed out after ' + timeoutMs + ' ms: got ' + got.length + ' of ' + count + ' messages'));
    }, timeoutMs);
    function listener(data) {
      got.push(data);
      if (got.length < count) return;
      clearTimeout(timer);
      socket.off('message', listener);
      resolve(got);
    }
    socket.on('message', listener);
  });
}

/** Polls `condition` until it is true. */
async function until(condition, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out after ' + timeoutMs + ' ms waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Closes the socket and waits for its final close event (if it is not closed already). */
async function closeSocket(socket) {
  if (socket.state === 'closed') return;
  const closed = waitForEvent(socket, 'close', 10000);
  socket.close();
  await closed;
}

/** Comparable form of a message: strings as is, ArrayBuffers as { bytes: [...] }. */
function describeMessage(data) {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return { bytes: Array.from(new Uint8Array(data)) };
  return { unexpected: Object.prototype.toString.call(data) };
}

module.exports = { waitForEvent, collectMessages, until, closeSocket, describeMessage };
