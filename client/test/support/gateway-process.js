'use strict';

// Starts the real wx-gateway from the built distribution for integration tests,
// waits for its readiness endpoint, and stops it again.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const DEFAULT_DIST = path.resolve(__dirname, '..', '..', '..', 'deploy', 'target', 'wx-gateway');
const READY_TIMEOUT_MS = 90000;
const STOP_GRACE_MS = 10000;
/** The admin API's bearer token in the started gateway: tests close sockets through it. */
const ADMIN_TOKEN = 'client-it-admin-token';

/** WXGW_DIST may name the distribution directory or the start script itself. */
function resolveScript() {
  const dist = process.env.WXGW_DIST || DEFAULT_DIST;
  const script = fs.existsSync(dist) && fs.statSync(dist).isFile() ? dist : path.join(dist, 'bin', 'wx-gateway');
  if (!fs.existsSync(script)) {
    throw new Error(
      'wx-gateway distribution not found: ' + script + '\n' +
      'Build it first: run `mvn -B -DskipTests package` at the repository root ' +
      '(or set WXGW_DIST to the distribution directory or its bin/wx-gateway script).'
    );
  }
  return script;
}

// Ports below the kernel's ephemeral range: a port that `listen(0)` hands out comes from that range,
// where every outbound socket (Kafka clients, Hazelcast members) also takes its local port, and one
// can take it between the check and the gateway's bind (the Java tests' Ports.java says the same).
// Each test process starts at a random point of 20000-32000 and never hands out a port twice.
const PORT_HIGHEST = Math.min(32000, ephemeralLowerBound() - 1);
const PORT_LOWEST = Math.max(1024, Math.min(20000, PORT_HIGHEST - 4000));
let nextPort = PORT_LOWEST + Math.floor(Math.random() * (PORT_HIGHEST - PORT_LOWEST));

function ephemeralLowerBound() {
  try {
    return Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch (err) {
    return 32768;
  }
}

/** Free on loopback and on every address (Hazelcast may bind the wildcard). */
async function bindable(port) {
  return (await bindableOn(port, '127.0.0.1')) && bindableOn(port, undefined);
}

function bindableOn(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port: port, host: host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago, below the ephemeral range, never handed out before by this process. */
async function freePort() {
  for (let tried = 0; tried <= PORT_HIGHEST - PORT_LOWEST; tried++) {
    const port = PORT_LOWEST + ((nextPort++ - PORT_LOWEST) % (PORT_HIGHEST - PORT_LOWEST + 1));
    if (await bindable(port)) return port;
  }
  throw new Error('no free port left in ' + PORT_LOWEST + '-' + PORT_HIGHEST);
}

function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns `bin/wx-gateway --demo-echo` with fresh ports and a fresh embedded Kafka
 * directory, and resolves once GET /health/ready answers 200.
 * @param {object} [extraEnv] more environment (configuration) for the gateway
 * @returns {Promise<{wsUrl: string, managementUrl: string, stop: () => Promise<void>, logTail: () => string}>}
 */
async function startGateway(extraEnv) {
  const script = resolveScript();
  const gatewayPort = await freePort();
  let managementPort = await freePort();
  while (managementPort === gatewayPort) managementPort = await freePort();
  const kafkaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxgw-client-it-kafka-'));
  const env = Object.assign({}, process.env, {
    WXGW_GATEWAY_PORT: String(gatewayPort),
    WXGW_MANAGEMENT_PORT: String(managementPort),
    WXGW_EMBEDDED_KAFKA_PORT: '0',
    WXGW_EMBEDDED_KAFKA_DATA_DIR: kafkaDir,
    WXGW_ADMIN_TOKEN: ADMIN_TOKEN
  }, extraEnv || {});
  // detached: its own process group, so stop() also reaches a JVM the script did
  // not `exec` into.
  const child = spawn(script, ['--demo-echo'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const keep = (chunk) => {
    log.push(...chunk.toString('utf8').split('\n'));
    if (log.length > 300) log.splice(0, log.length - 300);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(); }));
  child.on('error', (err) => { exited = exited || { error: err }; });
  // If the test process dies, don't leave a JVM behind.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.on('exit', killOnExit);

  const logTail = () => log.slice(-80).join('\n');
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (!exited) {
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    }
    fs.rmSync(kafkaDir, { recursive: true, force: true });
  };

  const readyUrl = 'http://127.0.0.1:' + managementPort + '/health/ready';
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error('wx-gateway exited before it was ready: ' + JSON.stringify(exited) + '\n' + logTail());
    }
    if ((await httpStatus(readyUrl)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('wx-gateway not ready within ' + READY_TIMEOUT_MS / 1000 + ' s at ' + readyUrl + '\n' + logTail());
    }
    await sleep(500);
  }
  return {
    wsUrl: 'ws://127.0.0.1:' + gatewayPort + '/ws',
    managementUrl: 'http://127.0.0.1:' + managementPort,
    admin: (method, path, body) => fetch('http://127.0.0.1:' + managementPort + path, {
      method,
      headers: { Authorization: 'Bearer ' + ADMIN_TOKEN, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(async (res) => ({ status: res.status, body: await res.json() })),
    stop,
    logTail
  };
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal); // the whole group: the script and its JVM
  } catch (err) {
    try {
      child.kill(signal);
    } catch (ignored) {
      // already gone
    }
  }
}

module.exports = { startGateway, resolveScript, freePort };
