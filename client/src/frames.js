'use strict';

// Frames of the session protocol wx.session.v1 (docs/sessions.md): a header line (compact
// JSON, UTF-8, no newline inside), optionally `\n` and a body. In a text frame the body is
// text, in a binary frame bytes. Mini programs do not all have TextEncoder/TextDecoder,
// so UTF-8 is done by hand (only headers are decoded; bodies stay as they came).

const PROTOCOL = 'wx.session.v1';
const NEWLINE = 0x0a;

/** A frame to send: header object plus optional body (string or ArrayBuffer). */
function encodeFrame(header, body) {
  const line = JSON.stringify(header);
  if (body === undefined || body === null) return line;
  if (typeof body === 'string') return line + '\n' + body;
  const head = utf8Encode(line);
  const bytes = new Uint8Array(body);
  const out = new Uint8Array(head.length + 1 + bytes.length);
  out.set(head, 0);
  out[head.length] = NEWLINE;
  out.set(bytes, head.length + 1);
  return out.buffer;
}

/**
 * A received frame: {header, body} (body a string for text frames, an ArrayBuffer for
 * binary ones, '' or an empty ArrayBuffer when there is none), or null when it is not a
 * header line with a string `t`.
 */
function decodeFrame(data) {
  let line;
  let body;
  if (typeof data === 'string') {
    const cut = data.indexOf('\n');
    line = cut === -1 ? data : data.slice(0, cut);
    body = cut === -1 ? '' : data.slice(cut + 1);
  } else if (data && typeof data.byteLength === 'number') {
    const bytes = new Uint8Array(data);
    const cut = bytes.indexOf(NEWLINE);
    line = utf8Decode(cut === -1 ? bytes : bytes.subarray(0, cut));
    body = cut === -1 ? new ArrayBuffer(0) : data.slice(cut + 1);
  } else {
    return null;
  }
  let header;
  try {
    header = JSON.parse(line);
  } catch (err) {
    return null;
  }
  if (!header || typeof header !== 'object' || typeof header.t !== 'string') return null;
  return { header: header, body: body };
}

function utf8Encode(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** Lenient: a malformed sequence becomes U+FFFD (the JSON parse then decides). */
function utf8Decode(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
    if (n === -1 || i + n >= bytes.length) {
      text += '\ufffd'; // a stray continuation byte, or a sequence cut short
      i++;
      continue;
    }
    let c = n === 0 ? b : b & (0x3f >> n);
    for (let k = 1; k <= n; k++) c = (c << 6) | (bytes[i + k] & 63);
    i += n + 1;
    if (c > 0xffff) {
      c -= 0x10000;
      text += String.fromCharCode(0xd800 + (c >> 10), 0xdc00 + (c & 1023));
    } else {
      text += String.fromCharCode(c);
    }
  }
  return text;
}

module.exports = { PROTOCOL, encodeFrame, decodeFrame, utf8Encode, utf8Decode };
