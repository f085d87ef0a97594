'use strict';

// The payload of the 'open' event, from what onOpen reports: the handshake response
// headers (base library 2.0.0+), the negotiated subprotocol among them, and the
// connection timing profile (newer base libraries).

/** @returns {{header: object, protocol: string, profile: object|undefined}} */
function openEvent(res) {
  const header = res && res.header && typeof res.header === 'object' ? res.header : {};
  return { header: header, protocol: headerValue(header, 'sec-websocket-protocol'), profile: res ? res.profile : undefined };
}

/** Header names are case-insensitive, and runtimes differ in how they spell them. */
function headerValue(header, lowerName) {
  const name = Object.keys(header).find((key) => key.toLowerCase() === lowerName);
  return name === undefined ? '' : String(header[name]);
}

module.exports = { openEvent };
