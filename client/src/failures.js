'use strict';

// What a failed handshake or socket error means, as far as wx's errMsg tells.
// Runtimes word it differently (DevTools: "Unexpected response code: 401", Android:
// "Expected HTTP 101 response but was '401 Unauthorized'", ws: "Unexpected server
// response: 401"), so look for an HTTP status and a few well-known phrases.

const { describeFailure } = require('./errors.js');

// Refusals that mean "do not come back": a bad token, an AppID or Origin not allowed.
const REFUSAL_STATUSES = [401, 403];

/**
 * @param {*} res the wx callback payload ({ errMsg }) or an Error
 * @param {boolean|null} online what the network status listener last said (null: unknown)
 * @returns {{kind: string, status: number|null}} kind is 'refused' (401/403), 'rejected'
 *   (another HTTP status: 429, 503, 400 ...), 'socket-limit' (the platform's 5 sockets),
 *   'network' (no network, unreachable, timed out) or 'unknown'
 */
function classifyFailure(res, online) {
  const message = describeFailure(res, '');
  const status = httpStatusIn(message);
  if (status !== null) return { kind: REFUSAL_STATUSES.indexOf(status) !== -1 ? 'refused' : 'rejected', status: status };
  if (/max(imum)? concurrent|exceed max/i.test(message)) return { kind: 'socket-limit', status: null };
  if (online === false || /network|internet|offline|timed? ?out|unreachable|refused|reset|ENOTFOUND|ECONN|EHOST|ENET|not connected/i.test(message)) {
    return { kind: 'network', status: null };
  }
  return { kind: 'unknown', status: null };
}

/** The first 4xx/5xx status in the text, not part of a port (":443"), path or longer number. */
function httpStatusIn(message) {
  const pattern = /(^|[^:\w./-])([45]\d\d)(?![\w.])/g;
  const match = pattern.exec(message);
  return match ? Number(match[2]) : null;
}

module.exports = { classifyFailure, REFUSAL_STATUSES };
