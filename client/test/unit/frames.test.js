'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { encodeFrame, decodeFrame, utf8Encode, utf8Decode } = require('../../src/frames.js');

test('UTF-8 by hand matches Buffer, both ways, including astral characters', () => {
  const text = 'a é 中文 😀 \u0000';
  assert.deepEqual(Buffer.from(utf8Encode(text)), Buffer.from(text, 'utf8'));
  assert.equal(utf8Decode(new Uint8Array(Buffer.from(text, 'utf8'))), text);
  assert.equal(utf8Decode(new Uint8Array([0x61, 0xe4, 0xb8])), 'a\ufffd\ufffd', 'a cut sequence');
});

test('text frames: header line, newline, body (which may hold newlines)', () => {
  assert.equal(encodeFrame({ t: 'hb' }), '{"t":"hb"}');
  assert.equal(encodeFrame({ t: 'msg' }, 'a\nb'), '{"t":"msg"}\na\nb');
  assert.deepEqual(decodeFrame('{"t":"push","p":"0:1"}\na\nb'), { header: { t: 'push', p: '0:1' }, body: 'a\nb' });
  assert.deepEqual(decodeFrame('{"t":"hb"}'), { header: { t: 'hb' }, body: '' });
});

test('binary frames: the header line is UTF-8 JSON, the body bytes follow untouched', () => {
  const frame = encodeFrame({ t: 'msg' }, new Uint8Array([10, 0, 10]).buffer);
  const decoded = decodeFrame(frame);
  assert.deepEqual(decoded.header, { t: 'msg' });
  assert.deepEqual(Array.from(new Uint8Array(decoded.body)), [10, 0, 10]);
  const reason = new Uint8Array(Buffer.from('{"t":"recovered","reason":"原因"}'));
  assert.equal(decodeFrame(reason.buffer).header.reason, '原因');
});

test('not a header line: null', () => {
  assert.equal(decodeFrame('hello'), null);
  assert.equal(decodeFrame('{"p":1}\nx'), null);
  assert.equal(decodeFrame('[1]'), null);
  assert.equal(decodeFrame(42), null);
});
