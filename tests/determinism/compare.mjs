// Native vs wasm agreement (issue 9): runs every session kind through the wasm Lab module (the
// page's path: lab.configure/step/buffer) on the configs the native doctest suite dumped
// (tests/unit/test_determinism.cpp, SUPERPOSE_DETERMINISM_DUMP), twice, and compares:
//   - wasm run to run: bit-identical (any difference fails);
//   - wasm vs native: max relative difference |a − b| / max(|a|, |b|, 1e-3 · max|buffer|) per
//     buffer, which must stay within --tolerance (default 2e-3, tests/unit/tolerance.hpp
//     kCrossPlatformRel). The measured maximum is printed per kind.
// Usage: node --no-experimental-fetch tests/determinism/compare.mjs <native-dump.json> <lab.js>
// Not here: building anything (scripts/test-determinism does).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [dumpPath, labPath, ...rest] = process.argv.slice(2);
const tolArg = rest.find((a) => a.startsWith('--tolerance='));
const TOLERANCE = tolArg ? Number(tolArg.split('=')[1]) : 2e-3;
if (!dumpPath || !labPath) {
  console.error('usage: compare.mjs <native-dump.json> <lab.js> [--tolerance=2e-3]');
  process.exit(2);
}
// JSON has no NaN: the native dump writes a non-finite float as null, read back here as NaN (the
// doctest dump already refused every infinity and every NaN outside the documented buffers).
const dump = JSON.parse(fs.readFileSync(dumpPath, 'utf8'), (k, v) => (v === null ? NaN : v));
const createLab = createRequire(import.meta.url)(path.resolve(labPath));
const Module = await createLab();

function runWasm(kind, spec) {
  const lab = new Module.Lab();
  try {
    const c = JSON.parse(lab.configure(kind, JSON.stringify(spec.config)));
    if (!c.ok) throw new Error(`${kind}: configure refused the native config: ${c.error}`);
    for (let i = 0; i < spec.chunks; i++) {
      const s = JSON.parse(lab.step(spec.chunk));
      if (!s.ok) throw new Error(`${kind}: step failed: ${s.error}`);
    }
    const out = {};
    for (const b of JSON.parse(lab.buffers())) out[b.name] = { shape: b.shape, data: lab.buffer(b.name).slice() };
    return out;
  } finally {
    lab.delete();
  }
}

let failed = false;
const rows = [];
for (const [kind, spec] of Object.entries(dump)) {
  let a, b;
  try {
    a = runWasm(kind, spec);
    b = runWasm(kind, spec);
  } catch (e) {
    failed = true;
    rows.push(`${kind.padEnd(12)} FAIL: ${String(e && e.message ? e.message : e).slice(0, 300)}`);
    continue;
  }
  let worst = { rel: 0, name: '', index: -1, native: 0, wasm: 0 };
  for (const [name, nat] of Object.entries(spec.buffers)) {
    const w = a[name];
    if (!w) { console.error(`${kind}: wasm has no buffer ${name}`); failed = true; continue; }
    if (JSON.stringify(w.shape) !== JSON.stringify(nat.shape)) {
      console.error(`${kind}: ${name} shape ${w.shape} in wasm, ${nat.shape} natively`); failed = true; continue;
    }
    const again = b[name].data;
    const bytesA = new Uint8Array(w.data.buffer), bytesB = new Uint8Array(again.buffer);
    if (bytesA.length !== bytesB.length || bytesA.some((x, i) => x !== bytesB[i])) {
      console.error(`${kind}: ${name} differs between two wasm runs with the same seed`); failed = true;
    }
    const scale = 1e-3 * nat.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    for (let i = 0; i < nat.data.length; i++) {
      const x = nat.data[i], y = w.data[i];
      if (Number.isNaN(x) !== Number.isNaN(y)) { worst = { rel: Infinity, name, index: i, native: x, wasm: y }; continue; }
      if (Number.isNaN(x)) continue;
      const den = Math.max(Math.abs(x), Math.abs(y), scale, 1e-30);
      const rel = Math.abs(x - y) / den;
      if (rel > worst.rel) worst = { rel, name, index: i, native: x, wasm: y };
    }
  }
  const ok = worst.rel <= TOLERANCE;
  if (!ok) failed = true;
  rows.push(`${kind.padEnd(12)} ${String(Object.keys(spec.buffers).length).padStart(3)} buffers  max rel diff ${worst.rel.toExponential(2)}` +
    (worst.name ? ` (${worst.name}[${worst.index}]: native ${worst.native}, wasm ${worst.wasm})` : '') + (ok ? '' : `  > ${TOLERANCE}: FAIL`));
}
console.log(`native vs wasm, ${Object.keys(dump).length} kinds, tolerance ${TOLERANCE}; wasm run to run: ${failed ? 'see above' : 'bit-identical'}`);
for (const r of rows) console.log(`  ${r}`);
process.exit(failed ? 1 : 0);
