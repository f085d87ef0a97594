'use strict';

// The two shapes of the mini-program socket API, behind one small interface:
//   - SocketTask (base library >= 1.7.0): wx.connectSocket() returns an object with
//     onOpen/onMessage/onClose/onError/send/close, one per connection;
//   - the legacy global API (older base libraries, one socket per app):
//     wx.onSocketOpen/onSocketMessage/onSocketClose/onSocketError,
//     wx.sendSocketMessage and wx.closeSocket.
// The socket class only sees `createConnection(wx, pool, handlers)`.

const { gatewayError, describeFailure } = require('./errors.js');

/**
 * One physical socket. `close()` means "close as soon as the runtime lets us": at once
 * when open, at onOpen when still connecting (the raw API ignores close() before
 * open, so a socket given up while connecting would otherwise open later and hold
 * one of the app's 5 slots). After close() no onOpen reaches the handlers.
 * @param {object} wx
 * @param {import('./task-pool.js').TaskPool} pool
 * @param {{onOpen: Function, onMessage: Function, onClose: Function, onError: Function}} handlers
 */
function createConnection(wx, pool, handlers) {
  let transport = null;
  let closeRequest = null;
  let closeSent = false;
  const conn = { opened: false, released: false, abandonedAt: null, kind: null };
  const release = () => {
    if (conn.released) return;
    conn.released = true;
    pool.release(conn);
  };
  const sendClose = () => {
    if (closeSent || conn.released || !transport) return;
    closeSent = true;
    try {
      transport.close(closeRequest.code, closeRequest.reason);
    } catch (err) {
      // Nothing useful to do: the socket is being abandoned either way.
    }
  };
  const events = {
    onOpen: (res) => {
      conn.opened = true;
      if (closeRequest) sendClose();
      else handlers.onOpen(res || {});
    },
    onMessage: (res) => handlers.onMessage(res ? res.data : undefined),
    // Old base libraries call onSocketClose without a code: treat it as 1006 (abnormal).
    onClose: (res) => {
      release();
      handlers.onClose(res && typeof res.code === 'number' ? res.code : 1006, (res && res.reason) || '');
    },
    onError: (res) => handlers.onError(res),
    // `fail` of connectSocket: the socket never started, so it holds no slot.
    onStartFailed: (res) => {
      release();
      handlers.onError(res);
    }
  };

  // Separate from creation so the caller can store `conn` before any callback can run.
  conn.start = (request) => {
    let task;
    try {
      // `fail` fires when the connection cannot even start (e.g. domain not in the
      // socket whitelist); some base libraries then send no onError/onClose at all.
      task = wx.connectSocket(Object.assign({}, request, { fail: (res) => events.onStartFailed(res) }));
    } catch (err) {
      events.onStartFailed({ errMsg: describeFailure(err, 'connectSocket threw') });
      return;
    }
    if (conn.released) return; // failed synchronously
    const isTask = task && typeof task.onOpen === 'function';
    conn.kind = isTask ? 'task' : 'legacy';
    transport = isTask ? taskTransport(task, events) : legacyTransport(wx, pool, conn, events);
    pool.track(conn);
  };

  conn.send = (data) => new Promise((resolve, reject) => {
    const fail = (res) => reject(gatewayError('SEND_FAILED', describeFailure(res, 'send failed'), res));
    if (!transport || closeRequest) {
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
    if (closeRequest) return;
    closeRequest = { code: code, reason: reason };
    if (conn.opened) sendClose();
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
// the latest connection. There is one socket per app and events carry no identity, so
// the pool holds a new connection back until the previous one reported its close (or
// its grace period passed); if it starts anyway, the first close before the new
// socket opens is taken as the previous socket's late close, not the new one's.
const legacyRoutes = new WeakMap();

function legacyTransport(wx, pool, conn, events) {
  let route = legacyRoutes.get(wx);
  if (!route) {
    route = { current: null, currentConn: null, stale: null };
    legacyRoutes.set(wx, route);
    wx.onSocketOpen((res) => route.current && route.current.onOpen(res));
    wx.onSocketMessage((res) => route.current && route.current.onMessage(res));
    wx.onSocketClose((res) => routeLegacyClose(route, res));
    wx.onSocketError((res) => route.current && route.current.onError(res));
  }
  const previous = route.currentConn;
  route.stale = previous && !previous.released ? route.current : null;
  route.current = events;
  route.currentConn = conn;
  return {
    send: (data, success, fail) => wx.sendSocketMessage({ data: data, success: success, fail: fail }),
    close: (code, reason) => wx.closeSocket({ code: code, reason: reason })
  };
}

function routeLegacyClose(route, res) {
  if (route.stale && route.currentConn && !route.currentConn.opened) {
    const stale = route.stale;
    route.stale = null;
    stale.onClose(res);
    return;
  }
  route.stale = null;
  if (route.current) route.current.onClose(res);
}

module.exports = { createConnection };
