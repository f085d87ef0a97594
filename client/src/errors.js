'use strict';

// Errors carry a stable `code` so apps can branch on it (`err.code === 'QUEUE_FULL'`)
// instead of parsing messages, which are for humans and may change.

/**
 * @param {string} code machine-readable code, e.g. 'QUEUE_FULL', 'CLOSED', 'SEND_FAILED'
 * @param {string} message human-readable text
 * @param {*} [detail] the raw wx callback payload or underlying error, when there is one
 */
function gatewayError(code, message, detail) {
  const err = new Error(message);
  err.name = 'WxGatewayError';
  err.code = code;
  if (detail !== undefined) err.detail = detail;
  return err;
}

// wx callbacks report failures as `{ errMsg: '...' }`, thrown errors have `.message`.
function describeFailure(res, fallback) {
  if (res && typeof res.errMsg === 'string') return res.errMsg;
  if (res && typeof res.message === 'string') return res.message;
  if (typeof res === 'string') return res;
  return fallback;
}

module.exports = { gatewayError, describeFailure };
