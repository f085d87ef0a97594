'use strict';

// Close codes used by wx-gateway, and the SDK's decision for each: reconnect or stop.
// The README has the same table for humans; keep the two in step.

const CloseCodes = Object.freeze({
  NORMAL: 1000, // deliberate close (by the client, or by the backend): terminal
  GOING_AWAY: 1001, // server shutdown, drain or max connection lifetime: reconnect
  ABNORMAL: 1006, // no close frame (network loss, app sent to background): reconnect
  INVALID_PAYLOAD: 1007, // invalid UTF-8 in a text message, a bug in the app: terminal
  POLICY_VIOLATION: 1008, // rate limit or slow consumer: reconnect with backoff
  MESSAGE_TOO_BIG: 1009, // message above the gateway's limit, a bug in the app: terminal
  INTERNAL_ERROR: 1011, // gateway error: reconnect
  TRY_AGAIN_LATER: 1013, // Kafka unavailable: reconnect
  IDLE_TIMEOUT: 4000, // no traffic or heartbeat within the idle timeout: reconnect
  TOKEN_EXPIRED: 4001, // reconnect only with a getToken hook (a fresh token), else terminal
  REPLACED: 4002, // a newer connection of the same user replaced this one: terminal
  FORBIDDEN: 4003, // closed by an operator, or forbidden: terminal
  SESSION_PROTOCOL_ERROR: 4400, // a wx.session.v1 frame the gateway could not accept, a bug: terminal
  RESUMED_ELSEWHERE: 4409 // another socket resumed this session (this one is stale): terminal
});

const RETRY = [1001, 1005, 1006, 1008, 1011, 1012, 1013, 1014, 1015, 4000];
// 1002/1003/1010 are protocol-level mistakes that a reconnect would only repeat.
const TERMINAL = [1000, 1002, 1003, 1007, 1009, 1010, 4002, 4003, 4400, 4409];

/**
 * Whether the SDK reconnects after the server (or the network) closed with `code`.
 * @param {number} code
 * @param {{terminalCodes?: number[], retryCodes?: number[], hasGetToken?: boolean}} [policy]
 */
function shouldReconnect(code, policy) {
  const p = policy || {};
  // App overrides win: the backend may give its own 4xxx codes a meaning.
  if (p.retryCodes && p.retryCodes.indexOf(code) !== -1) return true;
  if (p.terminalCodes && p.terminalCodes.indexOf(code) !== -1) return false;
  // A new connection with the same expired token would be refused again.
  if (code === CloseCodes.TOKEN_EXPIRED) return Boolean(p.hasGetToken);
  if (RETRY.indexOf(code) !== -1) return true;
  if (TERMINAL.indexOf(code) !== -1) return false;
  // 3000-4999 are chosen by libraries and the backend for reasons we cannot know:
  // stopping is safer than hammering the gateway. Other (transport) codes are transient.
  return !(code >= 3000 && code <= 4999);
}

/**
 * Byte length of `text` once encoded as UTF-8. Mini programs do not all have
 * TextEncoder, so count by hand; lone surrogates count 3 bytes (U+FFFD), as an encoder would.
 */
function utf8ByteLength(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      bytes += 4; // a surrogate pair is one code point above U+FFFF
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isLowSurrogate(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}

// RFC 6455 caps the close frame payload at 125 bytes, 2 of which are the code.
const MAX_REASON_BYTES = 123;

/**
 * Throws synchronously on a close code or reason the WebSocket protocol forbids a
 * client to send. The raw wx API fails such a close silently (or asynchronously),
 * which leaves the socket open while the app believes it closed.
 */
function validateCloseArgs(code, reason) {
  if (typeof code !== 'number' || Math.floor(code) !== code) {
    throw new TypeError('close code must be an integer, got ' + String(code));
  }
  if (code !== 1000 && (code < 3000 || code > 4999)) {
    throw new RangeError('close code must be 1000 or in 3000-4999, got ' + code);
  }
  if (typeof reason !== 'string') throw new TypeError('close reason must be a string');
  const bytes = utf8ByteLength(reason);
  if (bytes > MAX_REASON_BYTES) {
    throw new RangeError('close reason must be at most ' + MAX_REASON_BYTES + ' UTF-8 bytes, got ' + bytes);
  }
}

module.exports = { CloseCodes, shouldReconnect, utf8ByteLength, validateCloseArgs, MAX_REASON_BYTES };
