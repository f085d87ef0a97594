'use strict';

// A fake `wx` for unit tests. Supports the SocketTask API (default) and the legacy
// global socket API (`{ legacy: true }`: connectSocket returns nothing). Tests drive
// the connection through `wx.lastTask` (or `wx.tasks[i]`), which has the same trigger
// methods in both modes, and read what the SDK did from `connects`, `sent`, `closes`.
// Like the runtime, a task ignores close() before it opened (`readyState` tells),
// and with `{ maxLive: n }` connectSocket fails with "exceed max concurrent count"
// while n tasks have not reported onClose (the platform's 5-socket limit).

const { FakeTimers } = require('./fake-timers.js');

class FakeTask {
  constructor(wx, request) {
    this.wx = wx;
    this.request = request;
    this.sent = [];
    this.closes = []; // every close() call, also the ones the runtime ignores
    this.readyState = 'connecting'; // 'connecting' | 'open' | 'closing' | 'closed'
    this.sendFails = false;
    this.handlers = { open: [], message: [], close: [], error: [] };
  }

  get live() { return this.readyState !== 'closed'; }

  // ---- the SocketTask API the SDK calls ----
  onOpen(fn) { this.handlers.open.push(fn); }
  onMessage(fn) { this.handlers.message.push(fn); }
  onClose(fn) { this.handlers.close.push(fn); }
  onError(fn) { this.handlers.error.push(fn); }
  send(req) { this._send(req); }
  close(req) { this._close(req); }

  _send(req) {
    this.sent.push(req.data);
    const fails = this.sendFails;
    // Like wx: the callbacks run asynchronously.
    Promise.resolve().then(() => (fails ? req.fail && req.fail({ errMsg: 'sendSocketMessage:fail' }) : req.success && req.success({})));
  }

  _close(req) {
    this.closes.push({ code: req.code, reason: req.reason });
    if (this.readyState === 'open') this.readyState = 'closing'; // before open: ignored
  }

  // ---- what a test uses to play the network ----
  triggerOpen(res) {
    this.readyState = 'open';
    this._fire('open', res || { header: {} });
  }
  triggerMessage(data) { this._fire('message', { data }); }
  triggerClose(code, reason) {
    this.readyState = 'closed';
    this._fire('close', { code, reason: reason || '' });
  }
  triggerError(errMsg) { this._fire('error', { errMsg: errMsg || 'fake error' }); }
  triggerConnectFail(errMsg) {
    this.readyState = 'closed';
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
    maxLiveSeen: 0,
    appShowHandlers: [],
    appHideHandlers: [],
    networkHandlers: [],
    networkType: opts.networkType || 'wifi',
    offAppShowCalls: 0,
    globalHandlers: { open: [], message: [], close: [], error: [] },
    get lastTask() { return this.tasks[this.tasks.length - 1]; },
    get liveTasks() { return this.tasks.filter((t) => t.live).length; },

    connectSocket(request) {
      this.connects.push(request);
      const task = new FakeTask(this, request);
      const full = opts.maxLive !== undefined && this.liveTasks >= opts.maxLive;
      this.tasks.push(task);
      if (full) task.triggerConnectFail('connectSocket:fail exceed max concurrent count');
      this.maxLiveSeen = Math.max(this.maxLiveSeen, this.liveTasks);
      return this.legacy ? undefined : task;
    },

    triggerAppShow() { this.appShowHandlers.slice().forEach((fn) => fn({})); },
    triggerAppHide() { this.appHideHandlers.slice().forEach((fn) => fn({})); },
    /** Plays wx.onNetworkStatusChange; `networkType` defaults to 'none' offline, 'wifi' online. */
    triggerNetwork(isConnected, networkType) {
      this.networkType = networkType || (isConnected ? 'wifi' : 'none');
      this.networkHandlers.slice().forEach((fn) => fn({ isConnected, networkType: this.networkType }));
    }
  };

  if (opts.appShow !== false) {
    wx.onAppShow = (fn) => wx.appShowHandlers.push(fn);
    wx.offAppShow = (fn) => {
      wx.offAppShowCalls++;
      wx.appShowHandlers = wx.appShowHandlers.filter((h) => h !== fn);
    };
    wx.onAppHide = (fn) => wx.appHideHandlers.push(fn);
    wx.offAppHide = (fn) => { wx.appHideHandlers = wx.appHideHandlers.filter((h) => h !== fn); };
  }
  if (opts.network !== false) {
    wx.onNetworkStatusChange = (fn) => wx.networkHandlers.push(fn);
    wx.offNetworkStatusChange = (fn) => { wx.networkHandlers = wx.networkHandlers.filter((h) => h !== fn); };
    // Synchronous success, so tests need no flush for the first answer.
    wx.getNetworkType = (req) => req && req.success && req.success({ networkType: wx.networkType });
  }

  if (wx.legacy) {
    wx.onSocketOpen = (fn) => wx.globalHandlers.open.push(fn);
    wx.onSocketMessage = (fn) => wx.globalHandlers.message.push(fn);
    wx.onSocketClose = (fn) => wx.globalHandlers.close.push(fn);
    wx.onSocketError = (fn) => wx.globalHandlers.error.push(fn);
    wx.sendSocketMessage = (req) => wx.lastTask._send(req);
    wx.closeSocket = (req) => wx.lastTask._close(req);
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
  const options = Object.assign({ url: 'wss://gw.example.com/ws', wx, timers, clock: () => timers.now, random: () => 0 }, overrides || {});
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
