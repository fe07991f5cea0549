// web/export/zip.js without a browser: CRC-32 against zlib's, a stored archive that python3's zipfile
// reads back (and tests), a deflated archive written by python3's zipfile read by unzip, and
// malformed archives refused with a message (truncated, corrupt CRC, encrypted, not a zip).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { crc32, zipStore, unzip } from '../../../web/export/zip.js';

const enc = new TextEncoder();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-zip-'));

test('crc32 matches zlib', () => {
  const data = enc.encode('The quick brown fox jumps over the lazy dog');
  assert.equal(crc32(data), 0x414fa339);
  assert.equal(crc32(new Uint8Array(0)), 0);
  const big = Uint8Array.from({ length: 70000 }, (_, i) => (i * 31 + 7) & 0xff);
  assert.equal(crc32(big), zlib.crc32 ? zlib.crc32(big) : crc32(big));
});

test('zipStore writes an archive python3 zipfile reads; unzip reads it back', async () => {
  const weights = Uint8Array.from({ length: 1000 }, (_, i) => (i * 13) & 0xff);
  const cfg = enc.encode('{"d_in": 2, "d_sae": 5, "architecture": "standard"}\n');
  const zip = zipStore([{ name: 'cfg.json', bytes: cfg }, { name: 'sae_weights.safetensors', bytes: weights }]);
  const dir = tmp();
  const file = path.join(dir, 'sae.zip');
  fs.writeFileSync(file, zip);
  const listing = execFileSync('python3', ['-c', `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([[i.filename, i.file_size, i.compress_type, len(z.read(i.filename))] for i in z.infolist()]))
`, file], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(listing), [['cfg.json', cfg.length, 0, cfg.length], ['sae_weights.safetensors', 1000, 0, 1000]]);
  const back = await unzip(zip);
  assert.deepEqual(back.map((e) => e.name), ['cfg.json', 'sae_weights.safetensors']);
  assert.deepEqual(back[0].bytes, cfg);
  assert.deepEqual(back[1].bytes, weights);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('unzip reads deflated entries in folders (python3 zipfile ZIP_DEFLATED)', async () => {
  const dir = tmp();
  const file = path.join(dir, 'deflated.zip');
  execFileSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('my_sae/', '')
    z.writestr('my_sae/cfg.json', '{"d_in": 4}' * 50)
    z.writestr('my_sae/sae_weights.safetensors', bytes(range(256)) * 40)
`, file]);
  const entries = await unzip(fs.readFileSync(file));
  assert.deepEqual(entries.map((e) => e.name), ['my_sae/cfg.json', 'my_sae/sae_weights.safetensors']);
  assert.equal(new TextDecoder().decode(entries[0].bytes), '{"d_in": 4}'.repeat(50));
  assert.equal(entries[1].bytes.length, 256 * 40);
  assert.equal(entries[1].bytes[257], 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('malformed archives are refused by name', async () => {
  const zip = zipStore([{ name: 'cfg.json', bytes: enc.encode('{}') }, { name: 'w.bin', bytes: new Uint8Array(64).fill(7) }]);
  await assert.rejects(unzip(zip.subarray(0, zip.length - 30)), /^Error: zip: no end of central directory record/);
  await assert.rejects(unzip(enc.encode('not a zip at all, just some text')), /^Error: zip: no end of central directory record/);
  await assert.rejects(unzip(new Uint8Array(5)), /^Error: zip: the file is too short/);
  const corrupt = zip.slice();
  corrupt[30 + 'cfg.json'.length + 2 + 30 + 'w.bin'.length + 10] ^= 1;  // a byte of w.bin's data
  await assert.rejects(unzip(corrupt), /^Error: zip: w\.bin fails its CRC-32 check/);
  const encrypted = zip.slice();
  const cd = new DataView(encrypted.buffer).getUint32(encrypted.length - 6, true);
  encrypted[cd + 8] |= 1;
  await assert.rejects(unzip(encrypted), /^Error: zip: cfg\.json is encrypted/);
  assert.throws(() => zipStore([]), /zip: nothing to store/);
  assert.throws(() => zipStore([{ name: '/abs', bytes: new Uint8Array(1) }]), /relative name/);
});
