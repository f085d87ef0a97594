'use strict';

// Guards what the mini-program runtime needs: ES2017 syntax only (it runs the files
// as they are after "build npm"), CommonJS, no runtime dependencies, small files.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const acorn = require('acorn');

const root = path.join(__dirname, '..', '..');
const sources = ['index.js'].concat(fs.readdirSync(path.join(root, 'src')).map((f) => path.join('src', f)));

test('library sources parse as ES2017 scripts', () => {
  for (const file of sources) {
    const code = fs.readFileSync(path.join(root, file), 'utf8');
    assert.doesNotThrow(() => acorn.parse(code, { ecmaVersion: 2017, sourceType: 'script' }), file);
  }
});

test('library sources stay under 300 lines and only require relative files', () => {
  for (const file of sources) {
    const code = fs.readFileSync(path.join(root, file), 'utf8');
    assert.ok(code.split('\n').length <= 300, file + ' is over 300 lines');
    const requires = code.match(/require\(['"][^'"]+['"]\)/g) || [];
    for (const r of requires) assert.match(r, /require\('\.\.?\//, file + ': ' + r);
  }
});

test('package.json: name, version, no runtime dependencies, typings', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'wx-gateway-client');
  assert.equal(pkg.version, '0.1.0');
  assert.equal(pkg.dependencies, undefined);
  assert.equal(pkg.types, 'index.d.ts');
  assert.ok(fs.existsSync(path.join(root, 'index.d.ts')));
});

test('index exports the public API', () => {
  const api = require('../../index.js');
  for (const name of ['createSocket', 'WxGatewaySocket', 'CloseCodes', 'shouldReconnect', 'utf8ByteLength', 'backoffDelay']) {
    assert.ok(api[name] !== undefined, name);
  }
});
