// Unit tests for web/lib/state.js: the control table ⇄ URL hash (node's built-in test runner).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteImport } from '../site-schema.mjs';
import { PRESETS } from '../../../web/lib/presets.js';

const {
  FIELDS, defaults, parseHash, toHash, parseValue, formatNumber, featureProbabilities,
  toLabConfig, applyPreset, needsReconfigure,
} = await siteImport('lib/state.js');

test('an empty hash gives the defaults and no notes', () => {
  for (const h of ['', '#', undefined]) {
    const { state, notes } = parseHash(h);
    assert.deepEqual(state, defaults());
    assert.deepEqual(notes, []);
  }
});

test('every field has a default that its own parser accepts (the table is consistent)', () => {
  for (const f of FIELDS) {
    const names = FIELDS.filter((g) => g.key === f.key);
    assert.equal(names.length, 1, `duplicate hash key ${f.key}`);
    const { state, notes } = parseHash(toHash(defaults()));
    assert.deepEqual(notes, [], `defaults do not round-trip for ${f.name}`);
    assert.deepEqual(state[f.name], defaults()[f.name]);
  }
});

test('state -> hash -> state round-trips every field, including awkward numbers', () => {
  const s = defaults();
  Object.assign(s, { n: 20, m: 5, k: 4, pMax: 0.3, pMin: 0.001, decay: 0.7, corr: 'anticorrelated',
    model: 'relu-hidden', lr: 0.00123, batch: 256, steps: 777, schedule: 'cosine', seed: 4294967295,
    sel: 3, autoplay: false, controls: false, views: ['arrows', 'loss'], pList: [] });
  const back = parseHash(toHash(s));
  assert.deepEqual(back.notes, []);
  assert.deepEqual(back.state, s);
  s.pList = [1, 0.1, 1e-3, 0.0003];
  assert.match(toHash(s), /&p=1,0\.1,0\.001,0\.0003&/, 'lists stay readable in the URL');
  assert.deepEqual(parseHash('#p=1%2C0.1').state.pList, [1, 0.1], 'an escaped comma works too');
  const back2 = parseHash(toHash(s));
  assert.deepEqual(back2.notes, []);
  assert.deepEqual(back2.state, s);
});

test('every preset round-trips and names only real fields with valid values', () => {
  const names = new Set(FIELDS.map((f) => f.name));
  for (const p of PRESETS) {
    for (const [k, v] of Object.entries(p.state)) {
      assert.ok(names.has(k), `${p.id} sets unknown field ${k}`);
      const f = FIELDS.find((g) => g.name === k);
      const { ok } = parseValue(f, Array.isArray(v) ? v.join(',') : String(v));
      assert.ok(ok, `${p.id}: ${k}=${v} is outside the table's range`);
    }
    const s = applyPreset(defaults(), p.id);
    const { state, notes } = parseHash(`#preset=${p.id}`);
    assert.deepEqual(notes, [], `${p.id}: ${notes}`);
    assert.deepEqual(state, s);
    assert.deepEqual(parseHash(toHash(state)).state, state);
    assert.ok(state.m <= state.n && state.sel < state.k, `${p.id}: inconsistent`);
    assert.ok(p.blurb.length > 20 && p.formula.length > 3);
  }
});

test('explicit keys override the preset wherever they appear', () => {
  const a = parseHash('#n=7&preset=importance&m=3').state;
  assert.equal(a.n, 7);
  assert.equal(a.m, 3);
  assert.equal(a.decay, 0.7);
  assert.equal(a.preset, 'importance');
});

test('malformed values fall back to defaults, each with a note', () => {
  const cases = [
    ['n=abc', 'n', 5], ['n=2.5', 'n', 5], ['n=0', 'n', 5], ['n=101', 'n', 5], ['n=', 'n', 5], ['n', 'n', 5],
    ['pmin=0', 'pMin', 0.05], ['pmin=1.5', 'pMin', 0.05], ['pmin=NaN', 'pMin', 0.05], ['pmin=Infinity', 'pMin', 0.05],
    ['pmin=1e', 'pMin', 0.05], ['lr=0x10', 'lr', 1e-3], ['model=gelu', 'model', 'relu'],
    ['autoplay=yes', 'autoplay', true], ['seed=-1', 'seed', 0], ['seed=4294967296', 'seed', 0],
    ['p=0.1,zero', 'pList', []], ['p=0.1,,0.2', 'pList', []], ['views=arrows,bogus', 'views', []],
    ['n=%E0%A4%A', 'n', 5],
  ];
  for (const [hash, name, want] of cases) {
    const { state, notes } = parseHash(`#${hash}`);
    assert.deepEqual(state[name], want, hash);
    assert.equal(notes.length, 1, `${hash}: ${JSON.stringify(notes)}`);
  }
});

test('unknown keys and presets are noted, the rest of the hash still applies', () => {
  const { state, notes } = parseHash('#bogus=1&n=8&preset=nope');
  assert.equal(state.n, 8);
  assert.equal(state.preset, '');
  assert.equal(notes.length, 2);
  assert.match(notes.join(' '), /bogus/);
  assert.match(notes.join(' '), /nope/);
});

test('notes quote hostile hash text only as clipped plain text', () => {
  const evil = encodeURIComponent('<img src=x onerror=alert(1)>'.repeat(5));
  const { state, notes } = parseHash(`#n=${evil}&${evil}=1`);
  assert.equal(state.n, 5);
  assert.equal(notes.length, 2);
  for (const n of notes) assert.ok(n.length < 160, n);
});

test('cross-field rules: m <= n (noted), p list sets the instance count, sel stays in range', () => {
  let r = parseHash('#n=3&m=5');
  assert.equal(r.state.m, 3);
  assert.equal(r.notes.length, 1);
  r = parseHash('#p=0.5,0.1&k=9&sel=7');
  assert.equal(r.state.k, 2);
  assert.equal(r.state.sel, 0);
});

test('feature probabilities: log-spaced from pMax to pMin, or the explicit list', () => {
  const s = defaults();
  Object.assign(s, { k: 3, pMax: 1, pMin: 0.01 });
  const p = featureProbabilities(s);
  assert.equal(p.length, 3);
  assert.ok(Math.abs(p[0] - 1) < 1e-9 && Math.abs(p[1] - 0.1) < 1e-9 && Math.abs(p[2] - 0.01) < 1e-9);
  s.k = 1;
  assert.deepEqual(featureProbabilities(s), [1]);
  s.pList = [0.2, 0.3];
  assert.deepEqual(featureProbabilities(s), [0.2, 0.3]);
});

test('the lab config uses exactly the keys of docs/wasm-api.md', () => {
  const allowed = new Set(['n_features', 'n_hidden', 'n_instances', 'feature_probability', 'importance_decay',
    'model', 'correlation', 'batch_size', 'lr', 'optimizer', 'weight_decay', 'schedule', 'warmup_steps', 'steps', 'seed']);
  for (const p of [null, ...PRESETS.map((q) => q.id)]) {
    const s = p ? applyPreset(defaults(), p) : defaults();
    const c = toLabConfig(s);
    for (const k of Object.keys(c)) assert.ok(allowed.has(k), `unexpected key ${k}`);
    assert.equal(c.feature_probability.length, c.n_instances);
  }
  const s = defaults();
  s.schedule = 'warmup';
  assert.equal(toLabConfig(s).warmup_steps, 500);
});

test('needsReconfigure: view-only fields do not restart training', () => {
  const a = defaults();
  const b = { ...defaults(), sel: 2, views: ['loss'], controls: false };
  assert.equal(needsReconfigure(a, b), false);
  assert.equal(needsReconfigure(a, { ...a, lr: 0.01 }), true);
});

test('formatNumber is the shortest exact decimal', () => {
  for (const x of [0.1, 1e-3, 0.7, 1 / 3, 123456789, 2 ** -20]) {
    assert.equal(Number(formatNumber(x)), x);
  }
  assert.equal(formatNumber(0.001), '0.001');
});

// issue 14 #12: a note says what is used instead, truthfully and in full.
test('notes: a clamped value says "clamped to"; an empty fallback is "ignored", never "using " and a blank', () => {
  const m = parseHash('#n=3&m=5');
  assert.equal(m.state.m, 3);
  assert.match(m.notes.join('\n'), /clamped to m=3/);
  const big = parseHash('#n=100&k=32&batch=65536');
  assert.match(big.notes.join('\n'), /clamped to batch \d+/);
  for (const h of ['#p=abc', '#p=2,0.5', '#p=', '#p=0.1,,0.2']) {
    for (const note of parseHash(h).notes) {
      assert.doesNotMatch(note, /using\s*$/, `${h}: "${note}" ends in a blank`);
    }
  }
  assert.match(parseHash('#p=abc').notes.join('\n'), /“p=abc” is not .*; ignored$/);
});
