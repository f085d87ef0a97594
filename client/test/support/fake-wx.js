'use strict';

// A fake `wx` for unit tests. Supports the SocketTask API (default) and the legacy
// global socket API (`{ legacy: true }`: connectSocket returns nothing). Tests drive
// the connection through `wx.lastTask` (or `wx.tasks[i]`), which has the same trigger
// methods in both modes, and read what the SDK did from `connects`, `sent`, `closes`.

const { FakeTimers } = require('./fake-timers.js');

class FakeTask {
  constructor(wx, request) {
    this.wx = wx;
    this.request = request;
    this.sent = [];
    this.closes = [];
    this.sendFails = false;
    this.handlers = { open: [], message: [], close: [], error: [] };
  }

  // ---- the SocketTask API the SDK calls ----
  onOpen(fn) { this.handlers.open.push(fn); }
  onMessage(fn) { this.handlers.message.push(fn); }
  onClose(fn) { this.handlers.close.push(fn); }
  onError(fn) { this.handlers.error.push(fn); }
  send(req) { this._send(req); }
  close(req) { this.closes.push({ code: req.code, reason: req.reason }); }

  _send(req) {
    this.sent.push(req.data);
    const fails = this.sendFails;
    // Like wx: the callbacks run asynchronously.
    Promise.resolve().then(() => (fails ? req.fail && req.fail({ errMsg: 'sendSocketMessage:fail' }) : req.success && req.success({})));
  }

  // ---- what a test uses to play the network ----
  triggerOpen() { this._fire('open', { header: {} }); }
  triggerMessage(data) { this._fire('message', { data }); }
  triggerClose(code, reason) { this._fire('close', { code, reason: reason || '' }); }
  triggerError(errMsg) { this._fire('error', { errMsg: errMsg || 'fake error' }); }
  triggerConnectFail(errMsg) {
    if (this.request.fail) this.request.fail({ errMsg: errMsg || 'connectSocket:fail' });
  }

  _fire(kind, res) {
    const list = this.wx.legacy ? this.wx.globalHandlers[kind] : this.handlers[kind];
    list.slice().forEach((fn) => fn(res));
  }
}

function createFakeWx(options) {
  const opts = options || {};
  const wx = {
    legacy: Boolean(opts.legacy),
    connects: [], // every wx.connectSocket request
    tasks: [],
    appShowHandlers: [],
    offAppShowCalls: 0,
    globalHandlers: { open: [], message: [], close: [], error: [] },
    get lastTask() { return this.tasks[this.tasks.length - 1]; },

    connectSocket(request) {
      this.connects.push(request);
      const task = new FakeTask(this, request);
      this.tasks.push(task);
      return this.legacy ? undefined : task;
    },

    triggerAppShow() { this.appShowHandlers.slice().forEach((fn) => fn({})); }
  };

  if (opts.appShow !== false) {
    wx.onAppShow = (fn) => wx.appShowHandlers.push(fn);
    wx.offAppShow = (fn) => {
      wx.offAppShowCalls++;
      wx.appShowHandlers = wx.appShowHandlers.filter((h) => h !== fn);
    };
  }

  if (wx.legacy) {
    wx.onSocketOpen = (fn) => wx.globalHandlers.open.push(fn);
    wx.onSocketMessage = (fn) => wx.globalHandlers.message.push(fn);
    wx.onSocketClose = (fn) => wx.globalHandlers.close.push(fn);
    wx.onSocketError = (fn) => wx.globalHandlers.error.push(fn);
    wx.sendSocketMessage = (req) => wx.lastTask._send(req);
    wx.closeSocket = (req) => wx.lastTask.closes.push({ code: req.code, reason: req.reason });
  }
  return wx;
}

/** Lets pending promise callbacks (send results, getToken) run. */
function flush() {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A socket options object wired to a fake wx and fake timers, plus overrides. */
function setup(overrides, wxOptions) {
  const wx = createFakeWx(wxOptions);
  const timers = new FakeTimers();
  const options = Object.assign({ url: 'wss://gw.example.com/ws', wx, timers, random: () => 0 }, overrides || {});
  return { wx, timers, options };
}

/** Records every event a socket emits, in order: [name, payload]. */
function recordEvents(socket) {
  const events = [];
  ['open', 'message', 'close', 'error', 'reconnecting', 'reconnected'].forEach((name) => {
    socket.on(name, (payload) => events.push([name, payload]));
  });
  events.names = () => events.map((e) => e[0]);
  events.of = (name) => events.filter((e) => e[0] === name).map((e) => e[1]);
  return events;
}

module.exports = { createFakeWx, FakeTimers, flush, setup, recordEvents };
