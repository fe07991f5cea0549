// Unit tests for tests/web/serve.mjs, the static server of the browser suite: MIME types
// (application/wasm matters: browsers refuse to stream-compile anything else), index.html for
// folders, 404s, and no escape from the served folder.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { serve } from '../serve.mjs';

let dir;
let srv;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-serve-'));
  fs.mkdirSync(path.join(dir, 'site'));
  for (const [f, body] of [['index.html', '<p>hi</p>'], ['a.js', '1'], ['s.css', 'p{}'], ['i.svg', '<svg/>'], ['lab.wasm', '\0asm']]) {
    fs.writeFileSync(path.join(dir, 'site', f), body);
  }
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'no');
  srv = await serve(path.join(dir, 'site'));
});
after(async () => { await srv.close(); fs.rmSync(dir, { recursive: true, force: true }); });

test('serves files with the right MIME types on a loopback port', async () => {
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const want = { 'index.html': 'text/html', 'a.js': 'text/javascript', 's.css': 'text/css', 'i.svg': 'image/svg+xml', 'lab.wasm': 'application/wasm' };
  for (const [f, type] of Object.entries(want)) {
    const r = await fetch(srv.url + f);
    assert.equal(r.status, 200, f);
    assert.equal(r.headers.get('content-type').split(';')[0], type, f);
  }
  const root = await fetch(srv.url);
  assert.equal(await root.text(), '<p>hi</p>');
});

test('missing files are 404 and nothing outside the folder is served', async () => {
  assert.equal((await fetch(`${srv.url}nope.js`)).status, 404);
  for (const p of ['%2e%2e/secret.txt', '..%2fsecret.txt', '%2e%2e%2fsecret.txt']) {
    const r = await fetch(srv.url + p);
    assert.ok(r.status === 403 || r.status === 404, `${p}: ${r.status}`);
    assert.notEqual(await r.text(), 'no');
  }
  // A raw request line with ../ (fetch would normalise it away).
  const raw = await new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1', () => s.end('GET /../secret.txt HTTP/1.0\r\n\r\n'));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
  });
  assert.doesNotMatch(raw, /\r\n\r\nno$/);
  assert.equal((await fetch(srv.url + 'a.js', { method: 'POST' })).status, 405);
});
