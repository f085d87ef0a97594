'use strict';

// A TCP forwarder in front of the gateway, so a test can take the gateway's listener
// away and bring it back on the same port: stop() drops every connection (like a
// crashed node, no close frame) and refuses new ones; start() listens again.
// retarget(port) sends later connections elsewhere (another node behind the same address);
// swallow() drops what clients send from then on (their writes vanish, the socket looks fine).

const net = require('node:net');

/** @returns {Promise<{port: number, url: (path: string) => string, stop: () => Promise<void>, start: () => Promise<void>}>} */
async function startProxy(initialTarget) {
  let targetPort = initialTarget;
  const connections = new Set();
  let server = null;
  let port = 0;
  let swallowing = false;

  const listen = () => new Promise((resolve, reject) => {
    server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      connections.add(client);
      connections.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        connections.delete(client);
        connections.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.on('data', (bytes) => { if (!swallowing) upstream.write(bytes); });
      upstream.pipe(client);
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = server.address().port;
      resolve();
    });
  });

  await listen();
  return {
    get port() { return port; },
    url: (path) => 'ws://127.0.0.1:' + port + path,
    /** Idempotent: a stopped proxy resolves at once. */
    stop: () => new Promise((resolve) => {
      connections.forEach((socket) => socket.destroy());
      connections.clear();
      if (!server.listening) {
        resolve();
        return;
      }
      server.close(() => resolve());
    }),
    start: () => { swallowing = false; return listen(); },
    /** From now until start(), what clients send is swallowed: a backgrounded phone's last writes that never arrive. */
    swallow: () => { swallowing = true; },
    retarget: (port) => { targetPort = port; }
  };
}

module.exports = { startProxy };
