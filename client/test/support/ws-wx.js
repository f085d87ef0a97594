'use strict';

// A `wx` stand-in over the `ws` package, for integration tests against the real
// gateway. It behaves like a mini program where it matters to the SDK:
//   - wx.connectSocket({url, header, protocols, fail}) returns a SocketTask with
//     onOpen/onMessage/onClose/onError/send/close;
//   - text messages arrive as strings, binary messages as ArrayBuffer;
//   - close() before the socket opened is ignored (the raw wx API does that too);
//   - a refused handshake shows up as onError then onClose (1006), without onOpen.
// It also records what the SDK asked for (`connects`) and every message received
// (`task.received`, including heartbeat replies the SDK swallows).

const WebSocket = require('ws');

class WsSocketTask {
  constructor(request) {
    this.request = request;
    this.sent = [];
    this.received = [];
    this.closes = [];
    this.handlers = { open: [], message: [], close: [], error: [] };
    try {
      this.ws = new WebSocket(request.url, request.protocols || [], { headers: request.header || {} });
    } catch (err) {
      // wx reports a bad URL through `fail`, asynchronously.
      this.ws = null;
      setImmediate(() => request.fail && request.fail({ errMsg: 'connectSocket:fail ' + err.message }));
      return;
    }
    this._wire(this.ws);
  }

  _wire(ws) {
    ws.on('open', () => this._fire('open', { header: {} }));
    ws.on('message', (data, isBinary) => {
      const payload = isBinary ? toArrayBuffer(data) : data.toString('utf8');
      this.received.push(payload);
      this._fire('message', { data: payload });
    });
    ws.on('close', (code, reason) => this._fire('close', { code, reason: reason.toString('utf8') }));
    ws.on('error', (err) => this._fire('error', { errMsg: err.message }));
  }

  onOpen(fn) { this.handlers.open.push(fn); }
  onMessage(fn) { this.handlers.message.push(fn); }
  onClose(fn) { this.handlers.close.push(fn); }
  onError(fn) { this.handlers.error.push(fn); }

  send(req) {
    this.sent.push(req.data);
    const fail = (message) => req.fail && req.fail({ errMsg: 'sendSocketMessage:fail ' + message });
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      setImmediate(() => fail('WebSocket is not connected'));
      return;
    }
    this.ws.send(req.data, (err) => (err ? fail(err.message) : req.success && req.success({})));
  }

  close(req) {
    this.closes.push({ code: req.code, reason: req.reason });
    if (!this.ws || this.ws.readyState === WebSocket.CONNECTING) return; // ignored, like wx
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

  _fire(kind, res) {
    this.handlers[kind].slice().forEach((fn) => fn(res));
  }
}

function toArrayBuffer(buffer) {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
}

function createWsWx() {
  const wx = {
    connects: [], // what the SDK asked to open: { url, header, protocols }
    tasks: [],
    appShowHandlers: [],
    get lastTask() { return this.tasks[this.tasks.length - 1]; },

    connectSocket(request) {
      wx.connects.push({ url: request.url, header: Object.assign({}, request.header), protocols: request.protocols });
      const task = new WsSocketTask(request);
      wx.tasks.push(task);
      return task;
    },

    onAppShow(fn) { wx.appShowHandlers.push(fn); },
    offAppShow(fn) { wx.appShowHandlers = wx.appShowHandlers.filter((h) => h !== fn); },
    triggerAppShow() { wx.appShowHandlers.slice().forEach((fn) => fn({})); },

    /** Test cleanup: drop every connection this stand-in opened. */
    terminateAll() { wx.tasks.forEach((task) => task.terminate()); }
  };
  return wx;
}

module.exports = { createWsWx, toArrayBuffer };
