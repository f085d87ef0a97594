'use strict';

// A `wx` stand-in over the `ws` package, for integration tests against the real
// gateway. It behaves like a mini program where it matters to the SDK:
//   - wx.connectSocket({url, header, protocols, timeout, perMessageDeflate, fail}) returns
//     a SocketTask with onOpen/onMessage/onClose/onError/send/close; onOpen gets the
//     handshake response headers and a timing profile;
//   - it sends `Referer: https://servicewechat.com/<appId>/0/page-frame.html`, as wx does;
//   - text messages arrive as strings, binary messages as ArrayBuffer;
//   - close() before the socket opened is ignored (the raw wx API does that too);
//   - a refused handshake shows up as onError then onClose (1006), without onOpen;
//   - at most 5 sockets live at once: a sixth fails with "exceed max concurrent count";
//   - onAppShow/onAppHide, onNetworkStatusChange/getNetworkType, played by the test
//     (triggerAppHide, triggerAppShow, setNetwork); offline, connectSocket fails;
//   - task.freeze(): the socket is dead but looks open (sends "succeed", nothing
//     arrives, no onClose), as after a few seconds in the background.
// It also records what the SDK asked for (`connects`) and every message received
// (`task.received`, including heartbeat replies the SDK swallows).

const WebSocket = require('ws');

const MAX_LIVE = 5;

class WsSocketTask {
  constructor(request, options) {
    this.request = request;
    this.sent = [];
    this.received = [];
    this.closes = [];
    this.live = true;
    this.frozen = false;
    this.handlers = { open: [], message: [], close: [], error: [] };
    if (options.failWith) {
      this.ws = null;
      this.live = false;
      setImmediate(() => request.fail && request.fail({ errMsg: 'connectSocket:fail ' + options.failWith }));
      return;
    }
    const headers = Object.assign({ Referer: 'https://servicewechat.com/' + options.appId + '/0/page-frame.html' }, request.header || {});
    const wsOptions = { headers, perMessageDeflate: Boolean(request.perMessageDeflate) }; // wx's default is off
    if (request.timeout) wsOptions.handshakeTimeout = request.timeout;
    try {
      this.ws = new WebSocket(request.url, request.protocols || [], wsOptions);
    } catch (err) {
      // wx reports a bad URL through `fail`, asynchronously.
      this.ws = null;
      this.live = false;
      setImmediate(() => request.fail && request.fail({ errMsg: 'connectSocket:fail ' + err.message }));
      return;
    }
    this._wire(this.ws);
  }

  _wire(ws) {
    const started = Date.now();
    let responseHeaders = {};
    ws.on('upgrade', (res) => { responseHeaders = res.headers; });
    ws.on('open', () => this._fire('open', { header: responseHeaders, profile: { fetchStart: started, connectEnd: Date.now() } }));
    ws.on('message', (data, isBinary) => {
      const payload = isBinary ? toArrayBuffer(data) : data.toString('utf8');
      this.received.push(payload);
      this._fire('message', { data: payload });
    });
    ws.on('close', (code, reason) => {
      this.live = false;
      this.closedWith = { code, reason: reason.toString('utf8') }; // for a failing test's message
      this._fire('close', { code, reason: reason.toString('utf8') });
    });
    ws.on('error', (err) => this._fire('error', { errMsg: err.message }));
  }

  onOpen(fn) { this.handlers.open.push(fn); }
  onMessage(fn) { this.handlers.message.push(fn); }
  onClose(fn) { this.handlers.close.push(fn); }
  onError(fn) { this.handlers.error.push(fn); }

  send(req) {
    this.sent.push(req.data);
    const fail = (message) => req.fail && req.fail({ errMsg: 'sendSocketMessage:fail ' + message });
    if (this.frozen) {
      setImmediate(() => req.success && req.success({})); // into the void, "successfully"
      return;
    }
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      setImmediate(() => fail('WebSocket is not connected'));
      return;
    }
    this.ws.send(req.data, (err) => (err ? fail(err.message) : req.success && req.success({})));
  }

  close(req) {
    this.closes.push({ code: req.code, reason: req.reason });
    if (!this.ws || this.ws.readyState === WebSocket.CONNECTING) return; // ignored, like wx
    if (this.frozen) return; // a dead socket: the close goes nowhere either
    try {
      this.ws.close(req.code, req.reason);
      if (req.success) setImmediate(() => req.success({}));
    } catch (err) {
      if (req.fail) setImmediate(() => req.fail({ errMsg: 'closeSocket:fail ' + err.message }));
    }
  }

  /** Kills the TCP connection without a close frame (like a phone losing network). */
  terminate() {
    if (this.ws) this.ws.terminate();
  }

  /** Dead but open: nothing more arrives, sends vanish, no onClose until terminate(). */
  freeze() {
    this.frozen = true;
  }

  _fire(kind, res) {
    if (this.frozen) return; // a dead socket reports nothing
    this.handlers[kind].slice().forEach((fn) => fn(res));
  }
}

function toArrayBuffer(buffer) {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

/** @param {{appId?: string}} [options] appId for the Referer (default 'wxintegrationtest') */
function createWsWx(options) {
  const opts = Object.assign({ appId: 'wxintegrationtest' }, options);
  const listeners = { show: [], hide: [], network: [] };
  const fire = (kind, res) => listeners[kind].slice().forEach((fn) => fn(res));
  const wx = {
    connects: [], // what the SDK asked to open (the request without callbacks)
    tasks: [],
    networkType: 'wifi',
    get lastTask() { return this.tasks[this.tasks.length - 1]; },
    get liveTasks() { return this.tasks.filter((t) => t.live).length; },

    connectSocket(request) {
      const asked = Object.assign({}, request, { header: Object.assign({}, request.header) });
      delete asked.fail;
      wx.connects.push(asked);
      let failWith = null;
      if (wx.networkType === 'none') failWith = 'network is down';
      else if (wx.liveTasks >= MAX_LIVE) failWith = 'exceed max concurrent count';
      const task = new WsSocketTask(request, { appId: opts.appId, failWith });
      wx.tasks.push(task);
      return task;
    },

    onAppShow(fn) { listeners.show.push(fn); },
    offAppShow(fn) { listeners.show = listeners.show.filter((h) => h !== fn); },
    onAppHide(fn) { listeners.hide.push(fn); },
    offAppHide(fn) { listeners.hide = listeners.hide.filter((h) => h !== fn); },
    onNetworkStatusChange(fn) { listeners.network.push(fn); },
    offNetworkStatusChange(fn) { listeners.network = listeners.network.filter((h) => h !== fn); },
    getNetworkType(req) { setImmediate(() => req && req.success && req.success({ networkType: wx.networkType })); },
    triggerAppShow() { fire('show', {}); },
    triggerAppHide() { fire('hide', {}); },
    /** Plays the network going away (isConnected false) or coming back. */
    setNetwork(isConnected, networkType) {
      wx.networkType = isConnected ? networkType || 'wifi' : 'none';
      fire('network', { isConnected, networkType: wx.networkType });
    },

    /** Test cleanup: drop every connection this stand-in opened. */
    terminateAll() { wx.tasks.forEach((task) => task.terminate()); }
  };
  return wx;
}

module.exports = { createWsWx, toArrayBuffer };
