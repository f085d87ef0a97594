'use strict';

// getToken with a deadline: a hook whose promise never settles (a login request that
// hangs) must not leave the socket connecting for ever.

const { gatewayError } = require('./errors.js');

/**
 * Calls opts.getToken() and then done(err) or done(null, token), exactly once.
 * @param {{getToken: Function, getTokenTimeoutMs: number, timers: object}} opts
 * @param {(err: *, token?: string) => void} done
 */
function fetchToken(opts, done) {
  let settled = false;
  let timer = null;
  const finish = (err, token) => {
    if (settled) return;
    settled = true;
    if (timer !== null) opts.timers.clearTimeout(timer);
    done(err, token);
  };
  if (opts.getTokenTimeoutMs > 0) {
    timer = opts.timers.setTimeout(() => {
      timer = null;
      finish(gatewayError('TOKEN_ERROR', 'getToken timed out after ' + opts.getTokenTimeoutMs + ' ms'));
    }, opts.getTokenTimeoutMs);
  }
  Promise.resolve()
    .then(() => opts.getToken())
    .then((token) => {
      if (typeof token !== 'string') throw new TypeError('getToken() must resolve to a string');
      finish(null, token);
    })
    .catch((err) => finish(err));
}

module.exports = { fetchToken };
