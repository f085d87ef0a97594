'use strict';

/**
 * Reconnect delay with exponential backoff and FULL jitter:
 * delay = random(0, min(cap, base * 2^attempt)).
 *
 * Full jitter (rather than "base delay + a little noise") matters for a gateway:
 * when a node restarts, every mini program that was connected to it drops at the
 * same moment, and spreading their reconnects over the whole window avoids a
 * thundering herd on the remaining nodes.
 *
 * @param {number} attempt 0 for the first reconnect after a drop
 * @param {number} baseMs
 * @param {number} capMs
 * @param {() => number} random returns a number in [0, 1), injectable for tests
 * @returns {number} whole milliseconds in [0, min(cap, base * 2^attempt))
 */
function backoffDelay(attempt, baseMs, capMs, random) {
  // Math.pow overflows to Infinity for large attempts; min() keeps it at the cap.
  const ceiling = Math.min(capMs, baseMs * Math.pow(2, attempt));
  const r = Math.min(Math.max(Number(random()) || 0, 0), 1);
  return Math.min(Math.floor(r * ceiling), Math.max(ceiling - 1, 0));
}

module.exports = { backoffDelay };
