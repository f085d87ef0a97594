'use strict';

// Option defaults, validation, and how the token is placed in the handshake.
// Validating up front turns a typo into an exception at createSocket() time instead
// of a socket that silently never connects on a user's phone.

const DEFAULTS = {
  tokenIn: 'both',
  tokenQueryParam: 'token',
  maxQueue: 100,
  maxQueueBytes: 1048576,
  maxMessageBytes: 0,
  reconnect: true,
  backoffBaseMs: 500,
  backoffCapMs: 30000,
  maxReconnectAttempts: Infinity,
  stableAfterMs: 10000,
  maxFailedHandshakes: Infinity,
  getTokenTimeoutMs: 10000,
  suspectAfterBackgroundMs: 3000,
  probeTimeoutMs: 5000,
  heartbeatIntervalMs: 20000,
  heartbeatTimeoutMs: 10000,
  heartbeatMessage: 'ping',
  heartbeatReply: 'pong',
  terminalCodes: [],
  retryCodes: [],
  autoConnect: true,
  session: true,
  sessionResumeWindowMs: 120000,
  welcomeTimeoutMs: 10000,
  ackIntervalMs: 100,
  ackBatchSize: 100,
  maxSeenPositions: 10000
};

const NUMBER_OPTIONS = [
  'maxQueue', 'maxQueueBytes', 'maxMessageBytes', 'backoffBaseMs', 'backoffCapMs', 'maxReconnectAttempts',
  'stableAfterMs', 'maxFailedHandshakes', 'getTokenTimeoutMs', 'suspectAfterBackgroundMs', 'probeTimeoutMs',
  'heartbeatIntervalMs', 'heartbeatTimeoutMs', 'sessionResumeWindowMs', 'welcomeTimeoutMs', 'ackIntervalMs',
  'ackBatchSize', 'maxSeenPositions'
];

// wx.connectSocket options the SDK passes through untouched when set.
const PASS_THROUGH = { tcpNoDelay: 'boolean', perMessageDeflate: 'boolean', forceCellularNetwork: 'boolean', timeout: 'number' };

function normalizeOptions(input) {
  if (!input || typeof input !== 'object') throw new TypeError('options object is required');
  const opts = Object.assign({}, DEFAULTS, withoutUndefined(input));
  if (typeof opts.url !== 'string' || !/^wss?:\/\//i.test(opts.url)) {
    throw new TypeError('url must be a ws:// or wss:// URL (mini programs require wss:// outside the devtools)');
  }
  if (['header', 'query', 'both'].indexOf(opts.tokenIn) === -1) {
    throw new TypeError("tokenIn must be 'header', 'query' or 'both'");
  }
  if (opts.token !== undefined && typeof opts.token !== 'string') throw new TypeError('token must be a string');
  if (opts.getToken !== undefined && typeof opts.getToken !== 'function') throw new TypeError('getToken must be a function');
  NUMBER_OPTIONS.forEach((name) => {
    const value = opts[name];
    if (typeof value !== 'number' || !(value >= 0)) throw new TypeError(name + ' must be a number >= 0');
  });
  Object.keys(PASS_THROUGH).forEach((name) => {
    if (opts[name] !== undefined && typeof opts[name] !== PASS_THROUGH[name]) throw new TypeError(name + ' must be a ' + PASS_THROUGH[name]);
  });
  if (opts.timeout !== undefined && !(opts.timeout > 0)) throw new TypeError('timeout must be a number of ms > 0');
  ['terminalCodes', 'retryCodes'].forEach((name) => {
    if (!Array.isArray(opts[name])) throw new TypeError(name + ' must be an array of close codes');
  });
  if (typeof opts.session !== 'boolean') throw new TypeError('session must be a boolean');
  if (!(opts.ackBatchSize >= 1)) throw new TypeError('ackBatchSize must be a number >= 1');
  if (opts.sessionStorageKey !== undefined && opts.sessionStorageKey !== null && typeof opts.sessionStorageKey !== 'string') {
    throw new TypeError('sessionStorageKey must be a string, or null to keep the resume token in memory only');
  }
  opts.wx = resolveWx(opts.wx);
  opts.timers = resolveTimers(opts.timers);
  if (typeof opts.random !== 'function') opts.random = Math.random;
  if (typeof opts.clock !== 'function') opts.clock = () => Date.now();
  return opts;
}

// `{ maxQueue: undefined }` should mean "the default", not "undefined".
function withoutUndefined(input) {
  const out = {};
  Object.keys(input).forEach((key) => {
    if (input[key] !== undefined) out[key] = input[key];
  });
  return out;
}

function resolveWx(given) {
  if (given) return given;
  /* global wx */
  if (typeof wx !== 'undefined' && wx) return wx;
  throw new TypeError('no wx object: run inside a mini program or pass options.wx');
}

function resolveTimers(given) {
  if (given) {
    if (typeof given.setTimeout !== 'function' || typeof given.clearTimeout !== 'function') {
      throw new TypeError('timers must provide setTimeout and clearTimeout');
    }
    return given;
  }
  // Wrap rather than pass the functions: some runtimes want them called unbound.
  return {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (id) => clearTimeout(id)
  };
}

/**
 * The wx.connectSocket request for one connection attempt.
 * The query parameter exists because some proxies and older base libraries drop
 * custom handshake headers; the gateway never logs query tokens.
 */
function buildRequest(opts, token, protocols) {
  const header = Object.assign({}, opts.header || {});
  let url = opts.url;
  if (typeof token === 'string' && token !== '') {
    if (opts.tokenIn !== 'query') header.Authorization = 'Bearer ' + token;
    if (opts.tokenIn !== 'header') url = appendQuery(url, opts.tokenQueryParam, token);
  }
  const request = { url: url, header: header };
  const offered = protocols === undefined ? opts.protocols : protocols;
  if (offered !== undefined) request.protocols = offered;
  Object.keys(PASS_THROUGH).forEach((name) => {
    if (opts[name] !== undefined) request[name] = opts[name];
  });
  return request;
}

function appendQuery(url, name, value) {
  const hash = url.indexOf('#');
  const base = hash === -1 ? url : url.slice(0, hash); // fragments are not allowed in ws URLs anyway
  const separator = base.indexOf('?') === -1 ? '?' : (/[?&]$/.test(base) ? '' : '&');
  return base + separator + encodeURIComponent(name) + '=' + encodeURIComponent(value);
}

module.exports = { normalizeOptions, buildRequest, appendQuery, DEFAULTS };
