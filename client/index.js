'use strict';

// wx-gateway-client: the mini-program side of wx-gateway.
// Plain CommonJS at ES2017 level, no dependencies, so the devtools' "build npm"
// step can copy it into miniprogram_npm as is.

const { WxGatewaySocket } = require('./src/socket.js');
const { CloseCodes, shouldReconnect, utf8ByteLength } = require('./src/close-codes.js');
const { backoffDelay } = require('./src/backoff.js');

/**
 * Creates a socket and starts connecting (unless `autoConnect: false`).
 * @param {object} options see index.d.ts / README.md
 * @returns {WxGatewaySocket}
 */
function createSocket(options) {
  return new WxGatewaySocket(options);
}

module.exports = {
  createSocket,
  WxGatewaySocket,
  CloseCodes,
  shouldReconnect,
  utf8ByteLength,
  backoffDelay
};
