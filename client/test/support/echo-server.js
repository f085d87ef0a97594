'use strict';

// A tiny local WebSocket echo server that mimics the gateway's demo echo mode
// (same-type echo, `ping` answered with `pong`). Only used to self-test the `ws`
// stand-in and the SDK over a real socket without building the gateway; the real
// gateway is exercised by test/integration/.

const http = require('node:http');
const WebSocket = require('ws');

/**
 * @param {{rejectWith?: number}} [options] rejectWith: answer every upgrade with this HTTP status
 * @returns {Promise<{url: string, upgrades: Array<{url: string, headers: object}>, server: WebSocket.Server, close: () => Promise<void>}>}
 */
function startEchoServer(options) {
  const opts = options || {};
  const upgrades = [];
  const server = http.createServer((req, res) => res.writeHead(404).end());
  // Like a gateway without sessions: echo no subprotocol (ws would echo the first offered).
  const wss = new WebSocket.Server({ noServer: true, handleProtocols: () => false });
  server.on('upgrade', (req, socket, head) => {
    upgrades.push({ url: req.url, headers: req.headers });
    if (opts.rejectWith) {
      socket.end('HTTP/1.1 ' + opts.rejectWith + ' Refused\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', (data, isBinary) => {
        if (!isBinary && data.toString('utf8') === 'ping') ws.send('pong');
        else ws.send(data, { binary: isBinary });
      });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: 'ws://127.0.0.1:' + server.address().port + '/ws',
        upgrades,
        server: wss,
        close: () => new Promise((done) => {
          wss.clients.forEach((ws) => ws.terminate());
          wss.close();
          server.close(() => done());
        })
      });
    });
  });
}

module.exports = { startEchoServer };
