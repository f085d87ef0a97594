'use strict';

// Starts a real cluster from the built distribution for integration tests: a Kafka broker in a
// process of its own (the embedded broker's StandaloneBroker), then wx-gateway nodes that join
// one Hazelcast cluster on loopback (TCP/IP members, no multicast). Node "a" runs the gateway, the
// bridge and the demo echo backend; node "b" only a gateway. Users authenticate with HS256 JWTs
// (the user id is `sub`): `token(user)` signs one.

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startGateway, resolveScript, freePort } = require('./gateway-process');

const SECRET = 'a-client-cluster-test-secret-long-enough-for-hs256';
const BROKER_TIMEOUT_MS = 90000;

function b64url(buf) {
  return Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** An HS256 JWT for `user`, valid for ten minutes. */
function token(user) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify({ sub: user, exp: Math.floor(Date.now() / 1000) + 600 }));
  const sig = b64url(crypto.createHmac('sha256', SECRET).update(head + '.' + body).digest());
  return head + '.' + body + '.' + sig;
}

/** `java -cp <dist>/lib/* ...StandaloneBroker 0 <dir>`; resolves with its bootstrap servers once ready. */
function startBroker() {
  const lib = path.join(path.dirname(path.dirname(resolveScript())), 'lib', '*');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxgw-client-cluster-kafka-'));
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const child = spawn(java, ['-Xmx512m', '-cp', lib, 'io.wxgateway.kafka.embedded.StandaloneBroker', '0', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the standalone broker was not ready within ' + BROKER_TIMEOUT_MS + ' ms\n' + log.join('')));
    }, BROKER_TIMEOUT_MS);
    child.stderr.on('data', (c) => log.push(c.toString()));
    child.stdout.on('data', (c) => {
      const text = c.toString();
      log.push(text);
      const ready = /kafka ready (\S+)/.exec(text);
      if (ready) {
        clearTimeout(timer);
        resolve({ bootstrap: ready[1], stop });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error('the standalone broker exited (' + code + ')\n' + log.join('')));
    });
  });
}

/**
 * The broker, node "a" (gateway, bridge, demo echo) and node "b" (gateway), clustered.
 * @param {object} [extraEnv] settings for every node
 */
async function startCluster(extraEnv) {
  const broker = await startBroker();
  const hazelcast = [await freePort(), await freePort()];
  const members = hazelcast.map((p) => '127.0.0.1:' + p).join(',');
  const common = Object.assign({
    WXGW_KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
    WXGW_GATEWAY_HOST: '127.0.0.1',
    WXGW_GATEWAY_AUTH_MODE: 'jwt',
    WXGW_GATEWAY_AUTH_SECRET: SECRET,
    WXGW_CLUSTER_HOST: '127.0.0.1',
    WXGW_CLUSTER_MEMBERS: members,
    WXGW_CLUSTER_NAME: 'client-it-' + process.pid,
    WXGW_CLUSTER_MEMBER_TIMEOUT_SECONDS: '6'
  }, extraEnv || {});
  const nodes = {};
  try {
    nodes.a = await startGateway(Object.assign({}, common, {
      WXGW_NODE_ROLES: 'gateway,bridge', WXGW_GATEWAY_NODE_ID: 'a', WXGW_CLUSTER_PORT: String(hazelcast[0])
    }));
    nodes.b = await startGateway(Object.assign({}, common, {
      WXGW_NODE_ROLES: 'gateway', WXGW_GATEWAY_NODE_ID: 'b', WXGW_CLUSTER_PORT: String(hazelcast[1])
    }));
  } catch (err) {
    await Promise.all(Object.values(nodes).map((n) => n.stop()));
    await broker.stop();
    throw err;
  }
  return {
    nodes,
    token,
    stop: async () => {
      await Promise.all(Object.values(nodes).map((n) => n.stop()));
      await broker.stop();
    }
  };
}

module.exports = { startCluster, token };
