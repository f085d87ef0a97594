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

test('license: Apache-2.0 in LICENSE, package.json, package-lock.json and the root pom', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(lock.packages[''].license, 'Apache-2.0');
  const license = fs.readFileSync(path.join(root, '..', 'LICENSE'), 'utf8');
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
  assert.equal(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), license, 'the npm package ships the same text');
  assert.ok(pkg.files.indexOf('LICENSE') !== -1);
  assert.match(fs.readFileSync(path.join(root, '..', 'pom.xml'), 'utf8'), /<licenses>\s*<license>\s*<name>Apache-2\.0<\/name>/);
});

test('README: one shared socket per app is the example, and send() means "handed to the socket"', () => {
  for (const file of [path.join(root, 'README.md'), path.join(root, '..', 'README.md')]) {
    const readme = fs.readFileSync(file, 'utf8');
    const firstExample = readme.slice(readme.indexOf('createSocket(') - 400, readme.indexOf('createSocket('));
    assert.match(firstExample, /App\(\{/, file + ': the first createSocket is in App()');
    assert.doesNotMatch(readme, /onLoad\(\) \{\s*this\.socket = createSocket/, file + ': no socket per page');
  }
  assert.match(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), /handed to the socket/);
});
