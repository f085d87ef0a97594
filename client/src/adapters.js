'use strict';

// The two shapes of the mini-program socket API, behind one small interface:
//   - SocketTask (base library >= 1.7.0): wx.connectSocket() returns an object with
//     onOpen/onMessage/onClose/onError/send/close, one per connection;
//   - the legacy global API (older base libraries, one socket per app):
//     wx.onSocketOpen/onSocketMessage/onSocketClose/onSocketError,
//     wx.sendSocketMessage and wx.closeSocket.
// The socket class only sees `createConnection(wx, handlers)`.

const { gatewayError, describeFailure } = require('./errors.js');

/**
 * @param {object} wx
 * @param {{onOpen: Function, onMessage: Function, onClose: Function, onError: Function}} handlers
 * @returns {{opened: boolean, start: Function, send: Function, close: Function}}
 */
function createConnection(wx, handlers) {
  let transport = null;
  let closeCalled = false;
  const conn = { opened: false, kind: null };
  const events = {
    onOpen: () => { conn.opened = true; handlers.onOpen(); },
    onMessage: (res) => handlers.onMessage(res ? res.data : undefined),
    // Old base libraries call onSocketClose without a code: treat it as 1006 (abnormal).
    onClose: (res) => handlers.onClose(res && typeof res.code === 'number' ? res.code : 1006, (res && res.reason) || ''),
    onError: (res) => handlers.onError(res)
  };

  // Separate from creation so the caller can store `conn` before any callback can run.
  conn.start = (request) => {
    let task;
    try {
      // `fail` fires when the connection cannot even start (e.g. domain not in the
      // socket whitelist); some base libraries then send no onError/onClose at all.
      task = wx.connectSocket(Object.assign({}, request, { fail: events.onError }));
    } catch (err) {
      events.onError({ errMsg: describeFailure(err, 'connectSocket threw') });
      return;
    }
    const isTask = task && typeof task.onOpen === 'function';
    conn.kind = isTask ? 'task' : 'legacy';
    transport = isTask ? taskTransport(task, events) : legacyTransport(wx, events);
  };

  conn.send = (data) => new Promise((resolve, reject) => {
    const fail = (res) => reject(gatewayError('SEND_FAILED', describeFailure(res, 'send failed'), res));
    if (!transport) {
      fail({ errMsg: 'socket is not connected' });
      return;
    }
    try {
      transport.send(data, () => resolve(), fail);
    } catch (err) {
      fail(err);
    }
  });

  // Idempotent and never throws: closing is also how we abandon a dead socket.
  conn.close = (code, reason) => {
    if (!transport || closeCalled) return;
    closeCalled = true;
    try {
      transport.close(code, reason);
    } catch (err) {
      // Nothing useful to do: the socket is being abandoned either way.
    }
  };

  return conn;
}

function taskTransport(task, events) {
  task.onOpen(events.onOpen);
  task.onMessage(events.onMessage);
  task.onClose(events.onClose);
  task.onError(events.onError);
  return {
    send: (data, success, fail) => task.send({ data: data, success: success, fail: fail }),
    close: (code, reason) => task.close({ code: code, reason: reason })
  };
}

// The legacy API has no off* functions, so registering handlers per connection would
// pile them up across reconnects. Register once per wx object and route the events to
// the latest connection. Known limit (one socket, no identity): a close event of an
// abandoned socket that arrives after the next connectSocket reaches the new one; the
// SDK then just reconnects once more.
const legacyRoutes = new WeakMap();

function legacyTransport(wx, events) {
  let route = legacyRoutes.get(wx);
  if (!route) {
    route = { current: null };
    legacyRoutes.set(wx, route);
    wx.onSocketOpen((res) => route.current && route.current.onOpen(res));
    wx.onSocketMessage((res) => route.current && route.current.onMessage(res));
    wx.onSocketClose((res) => route.current && route.current.onClose(res));
    wx.onSocketError((res) => route.current && route.current.onError(res));
  }
  route.current = events;
  return {
    send: (data, success, fail) => wx.sendSocketMessage({ data: data, success: success, fail: fail }),
    close: (code, reason) => wx.closeSocket({ code: code, reason: reason })
  };
}

module.exports = { createConnection };
