// A mutational fuzzer for the URL-hash parsers of every page, under node's test runner: the toy
// lab's (web/lib/state.js parseHash) and, through the same generic checks, each experiment page's
// table (web/lib/page-states.js: suppression, sae, grok, steer; all parsed by web/lib/hash-state.js).
//
// What it is: seeded random and mutated hashes (hostile values, broken %-escapes, prototype keys,
// huge numbers, thousands of keys, splices of valid links) fed to parseHash, checking that it
// never throws and that every state it returns is in range: each field's type and range from the
// FIELDS table, the cross-field rules (m ≤ n, sel < k, a p list sets k), a lab config the C++
// core accepts (src/toy/toy_config.cpp validate()), bounded notes, and state → hash → state
// round-tripping without notes. A failure prints the seed and the input, so it can be replayed.
// What it is not: a browser test (tests/web/browser/hostile.test.mjs loads hostile hashes in the
// real page). The C++ parsers are fuzzed by libFuzzer (tests/fuzz, scripts/test-fuzz).
// For the experiment pages' tables the checks are the table's own: every field of its type and
// range, the table's cross-field rules (steer: m ≤ n, the direction exists), round trips
// (parse(serialise(s)) == s with no notes; "-0" is 0; lists; huge numbers; unicode; prototype keys).
// SUPERPOSE_HASH_FUZZ_CASES=N sets the number of cases (default 20000, a quarter of that per
// experiment page; a longer run: 1000000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteImport } from '../site-schema.mjs';

const { FIELDS, TABLE, parseHash, toHash, toLabConfig, defaults } = await siteImport('lib/state.js');
const { PAGE_TABLES, steerDirectionLimit } = await siteImport('lib/page-states.js');

const CASES = Number(process.env.SUPERPOSE_HASH_FUZZ_CASES || 20000);
const SEED = Number(process.env.SUPERPOSE_HASH_FUZZ_SEED || 20261125);

// mulberry32: a small seeded PRNG, so every case can be replayed from (seed, index).
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_VALUES = [
  '', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', 'inf', '-0', '+0', '0x10', '0b1', '1e309', '-1e309',
  '1e-400', '9'.repeat(400), '4294967296', '4294967295', '-1', '1.5', '.5', '5.', '1e3', '1E+2', '1_000',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '${alert(1)}',
  '%3Cscript%3E', '%', '%%', '%E0%A4%A', '%FF', '%00', '%u0041', '\u0000', '\u202e', '💥', 'ｒｅｌｕ',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'true', 'false', '1', '0', 'yes',
  ',', ',,,', '1,', ',1', '1,,1', '0.1,0.2,0.3', Array(40).fill('0.5').join(','), 'relu', 'abs',
  'relu-hidden', 'grid,loss', 'grid,grid,grid', 'intro', 'pentagon', 'importance', 'phase', ' relu ',
  '1 ', ' 1', '\t1', '1\n', 'a'.repeat(10000),
];
const KEYS = [...FIELDS.map((f) => f.key), '__proto__', 'constructor', 'toString', 'prototype', '', ' ',
  'N', 'n ', 'p[]', 'p[0]', '%6E', 'n%00', '<b>', 'x'.repeat(300)];

function pick(r, list) { return list[Math.floor(r() * list.length)]; }

function randomNumberText(r) {
  const forms = [
    () => String(Math.floor(r() * 200) - 50),
    () => String(r()),
    () => (r() * 10 ** (Math.floor(r() * 40) - 20)).toExponential(Math.floor(r() * 5)),
    () => String(2 ** Math.floor(r() * 64)),
    () => pick(r, HOSTILE_VALUES),
  ];
  return pick(r, forms)();
}

function randomValidState(r) {
  const s = defaults();
  for (const f of FIELDS) {
    if (r() < 0.5) continue;
    if (f.type === 'int') s[f.name] = Math.min(f.max, f.min + Math.floor(r() * Math.min(200, f.max - f.min + 1)));
    else if (f.type === 'float') s[f.name] = Math.max(f.min + 1e-6, Math.min(f.max, f.max * r()));
    else if (f.type === 'enum') s[f.name] = pick(r, f.values);
    else if (f.type === 'bool') s[f.name] = r() < 0.5;
    else if (f.type === 'floats') s[f.name] = Array.from({ length: Math.floor(r() * 5) }, () => Math.max(1e-4, r()));
    else if (f.type === 'enums') s[f.name] = [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(r, f.values)))];
  }
  return parseHash(toHash(s)).state;  // reconcile() applied
}

function mutate(r, text) {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 4)); break;  // delete
      case 1: s = s.slice(0, at) + pick(r, ['&', '=', '%', ',', '#', '+', '-', '.', 'e', '0', '9']) + s.slice(at); break;
      case 2: s = s.slice(0, at) + pick(r, HOSTILE_VALUES) + s.slice(at); break;
      case 3: s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + s.slice(at); break;
      case 4: s += `&${pick(r, KEYS)}=${randomNumberText(r)}`; break;
      default: { const j = Math.floor(r() * (s.length + 1)); s = s.slice(0, Math.min(at, j)) + s.slice(Math.max(at, j)).repeat(2); }
    }
  }
  return s;
}

function randomHash(r) {
  switch (Math.floor(r() * 5)) {
    case 0: return toHash(randomValidState(r));
    case 1: return mutate(r, toHash(randomValidState(r)));
    case 2: {  // random pairs of known and hostile keys
      const parts = [];
      const count = Math.floor(r() * 12);
      for (let i = 0; i < count; i++) {
        const k = pick(r, KEYS);
        parts.push(r() < 0.1 ? k : `${encodeURIComponent(k)}=${r() < 0.5 ? randomNumberText(r) : encodeURIComponent(pick(r, HOSTILE_VALUES))}`);
      }
      return `#${parts.join('&')}`;
    }
    case 3: return Array.from({ length: Math.floor(r() * 60) }, () => String.fromCharCode(Math.floor(r() * 128))).join('');
    default: return mutate(r, `#${pick(r, KEYS)}=${pick(r, HOSTILE_VALUES)}&${pick(r, KEYS)}=${randomNumberText(r)}`);
  }
}

// The invariants every parsed state must satisfy.
function checkState(state, notes) {
  assert.deepEqual(Object.keys(state).sort(), FIELDS.map((f) => f.name).sort(), 'exactly the table\'s fields');
  for (const f of FIELDS) {
    const v = state[f.name];
    const inRange = (x) => typeof x === 'number' && Number.isFinite(x) && (f.minOpen ? x > f.min : x >= f.min) && x <= f.max;
    if (f.type === 'int') assert.ok(Number.isSafeInteger(v) && inRange(v), `${f.name}=${v}`);
    else if (f.type === 'float') assert.ok(inRange(v), `${f.name}=${v}`);
    else if (f.type === 'enum') assert.ok(f.values.includes(v), `${f.name}=${v}`);
    else if (f.type === 'bool') assert.equal(typeof v, 'boolean', f.name);
    else if (f.type === 'floats') assert.ok(Array.isArray(v) && v.length <= f.maxLen && v.every(inRange), `${f.name}=${v}`);
    else if (f.type === 'enums') {
      assert.ok(Array.isArray(v) && v.length <= f.maxLen && v.every((x) => f.values.includes(x)), `${f.name}=${v}`);
      assert.equal(new Set(v).size, v.length, `${f.name} has duplicates`);
    }
  }
  assert.ok(state.m <= state.n, 'm ≤ n');
  assert.ok(state.sel < state.k, 'sel < k');
  if (state.pList.length > 0) assert.equal(state.k, state.pList.length, 'a p list sets k');
  // The lab config is one the C++ core accepts (src/toy/toy_config.cpp validate()).
  const c = toLabConfig(state);
  assert.ok(c.n_features >= 1 && c.n_features <= 512 && c.n_hidden >= 1 && c.n_hidden <= c.n_features);
  assert.ok(c.n_instances >= 1 && c.n_instances <= 256 && c.feature_probability.length === c.n_instances);
  assert.ok(c.feature_probability.every((p) => Number.isFinite(p) && p > 0 && p <= 1), `p=${c.feature_probability}`);
  assert.ok(c.batch_size >= 1 && c.batch_size <= 65536 && c.steps >= 1 && c.lr > 0 && Number.isFinite(c.lr));
  assert.ok(c.n_instances * c.n_features * c.batch_size <= 16 * 1024 * 1024, 'within the core\'s memory limit');
  assert.ok(Array.isArray(notes) && notes.every((t) => typeof t === 'string' && t.length <= 400), 'notes are short strings');
  // A parsed state is a valid link: it round-trips with no notes.
  const back = parseHash(toHash(state));
  assert.deepEqual(back.notes, [], 'a parsed state round-trips without notes');
  assert.deepEqual(back.state, state, 'a parsed state round-trips');
}

test(`parseHash never throws and always yields an in-range state (${CASES} seeded cases)`, () => {
  const r = rng(SEED);
  let notes = 0;
  for (let i = 0; i < CASES; i++) {
    const hash = randomHash(r);
    try {
      const out = parseHash(hash);
      checkState(out.state, out.notes);
      notes += out.notes.length;
    } catch (e) {
      assert.fail(`case ${i} (seed ${SEED}) failed on ${JSON.stringify(hash).slice(0, 500)}: ${e.message}`);
    }
  }
  assert.ok(notes > CASES / 4, 'the generator does produce inputs the parser refuses');
});

test('parseHash survives pathological shapes: thousands of keys, huge values, no "=" at all', () => {
  const cases = [
    `#${Array.from({ length: 5000 }, (_, i) => `k${i}=${i}`).join('&')}`,
    `#${Array.from({ length: 5000 }, () => 'n=7').join('&')}`,
    `#${'&'.repeat(100000)}`,
    `#${'='.repeat(100000)}`,
    `#n=${'9'.repeat(100000)}`,
    `#p=${Array(100000).fill('0.5').join(',')}`,
    `#views=${Array(10000).fill('grid').join(',')}`,
    '#%',
    '#n=%',
    '#%E0%A4%A=1',
    '#__proto__=1&constructor=1&toString=1',
    '#preset=__proto__',
    '#preset=pentagon&preset=%',
  ];
  for (const hash of cases) {
    const out = parseHash(hash);
    checkState(out.state, out.notes);
  }
  // Prototype keys must not reach Object.prototype.
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.n, undefined);
});

// Regressions: each input below once broke an invariant above (found by this fuzzer).
test('regressions found by the hash fuzzer', () => {
  // "-0" parsed to -0, which printed as "0": the state did not round-trip.
  assert.ok(Object.is(parseHash('#seed=-0').state.seed, 0));
  assert.ok(Object.is(parseHash('#sel=-0').state.sel, 0));
  // An explicit empty p list over a preset that sets one was dropped from the hash, so the link
  // brought the preset's list back.
  const s = parseHash('#preset=importance&p=').state;
  assert.deepEqual(s.pList, []);
  assert.deepEqual(parseHash(toHash(s)).state, s);
  // n=100, k=32, batch=65536 passed the per-field ranges but not the core's memory bound.
  const big = parseHash('#n=100&k=32&batch=65536');
  assert.ok(big.state.batch * 32 * 100 <= 16 * 1024 * 1024);
  assert.match(big.notes.join('\n'), /too large for the browser; clamped to batch 5242/);
  for (const hash of ['#seed=-0', '#preset=importance&p=', '#n=100&k=32&batch=65536']) {
    const out = parseHash(hash);
    checkState(out.state, out.notes);
  }
});

// ---- every page's table, through the same generic checks -----------------------------------

const inRangeOf = (f) => (x) => typeof x === 'number' && Number.isFinite(x) && (f.minOpen ? x > f.min : x >= f.min) && x <= f.max;

/** The invariants of any state a table's parse returns, and its round trip. */
function checkTableState(name, tbl, state, notes) {
  assert.deepEqual(Object.keys(state).sort(), tbl.fields.map((f) => f.name).sort(), `${name}: exactly the table's fields`);
  for (const f of tbl.fields) {
    const v = state[f.name];
    const ok = inRangeOf(f);
    const what = `${name}.${f.name}=${JSON.stringify(v)}`;
    if (f.type === 'int') assert.ok(Number.isSafeInteger(v) && ok(v) && !Object.is(v, -0), what);
    else if (f.type === 'float') assert.ok(ok(v) && !Object.is(v, -0), what);
    else if (f.type === 'enum') assert.ok(f.values.includes(v), what);
    else if (f.type === 'bool') assert.equal(typeof v, 'boolean', what);
    else if (f.type === 'text') assert.ok(typeof v === 'string' && v.length <= (f.maxLength || 64) && f.pattern.test(v), what);
    else if (f.type === 'floats' || f.type === 'enums') {
      assert.ok(Array.isArray(v) && v.length <= f.maxLen && v.length >= (f.minLen || 0), what);
      assert.ok(v.every(f.type === 'floats' ? ok : (x) => f.values.includes(x)), what);
      if (f.type === 'enums') assert.equal(new Set(v).size, v.length, `${what}: duplicates`);
    } else assert.fail(`${name}.${f.name}: unknown type ${f.type}`);
  }
  if (name === 'steer') {
    assert.ok(state.m <= state.n, 'steer: m ≤ n');
    assert.ok(Number(state.direction.split(':')[1]) < steerDirectionLimit(state.direction, state.n, state.m, state.sae), `steer: ${state.direction} exists`);
  }
  assert.ok(Array.isArray(notes) && notes.every((t) => typeof t === 'string' && t.length <= 400), `${name}: notes are short strings`);
  const hash = tbl.serialise(state);
  assert.equal(typeof hash, 'string');
  assert.ok(hash.startsWith('#') && hash.length < 4000, `${name}: a short link`);
  const back = tbl.parse(hash);
  assert.deepEqual(back.notes, [], `${name}: ${hash} round-trips without notes`);
  assert.deepEqual(back.state, state, `${name}: ${hash} round-trips`);
}

function randomFieldValue(r, f) {
  switch (f.type) {
    case 'int': {
      const span = f.max - f.min;
      return r() < 0.2 ? pick(r, [f.min, f.max]) : f.min + Math.floor(r() * Math.min(span + 1, r() < 0.5 ? 200 : span + 1));
    }
    case 'float': {
      const x = f.min + (f.max - f.min) * r();
      return r() < 0.2 ? (f.minOpen ? f.max : pick(r, [f.min, f.max])) : (f.minOpen && x === f.min ? f.max : x);
    }
    case 'enum': return pick(r, f.values);
    case 'bool': return r() < 0.5;
    case 'text': return `${pick(r, ['latent', 'feature', 'unit'])}:${Math.floor(r() * 12)}`;
    case 'enums': {
      const n = (f.minLen || 0) + Math.floor(r() * (f.values.length - (f.minLen || 0) + 1));
      return [...new Set(Array.from({ length: n }, () => pick(r, f.values)))];
    }
    case 'floats': return Array.from({ length: Math.floor(r() * Math.min(5, f.maxLen + 1)) }, () => Math.max(f.min + 1e-6, f.max * r()));
    default: return f.def;
  }
}

function randomTableHash(r, tbl) {
  const keys = [...tbl.fields.map((f) => f.key), '__proto__', 'constructor', 'toString', 'prototype', '', 'x'.repeat(300), '💥'];
  const valid = () => {
    const s = tbl.defaults();
    for (const f of tbl.fields) if (r() < 0.6) s[f.name] = randomFieldValue(r, f);
    return tbl.serialise(tbl.parse(tbl.serialise(s)).state);
  };
  switch (Math.floor(r() * 5)) {
    case 0: return valid();
    case 1: return mutate(r, valid());
    case 2: {
      const parts = [];
      for (let i = Math.floor(r() * 12); i > 0; i--) {
        const k = pick(r, keys);
        parts.push(r() < 0.1 ? k : `${encodeURIComponent(k)}=${r() < 0.5 ? randomNumberText(r) : encodeURIComponent(pick(r, HOSTILE_VALUES))}`);
      }
      return `#${parts.join('&')}`;
    }
    case 3: return Array.from({ length: Math.floor(r() * 60) }, () => String.fromCharCode(Math.floor(r() * 128))).join('');
    default: return mutate(r, `#${pick(r, keys)}=${pick(r, HOSTILE_VALUES)}&${pick(r, keys)}=${randomNumberText(r)}`);
  }
}

const TABLES = { toy: TABLE, ...PAGE_TABLES };
const PAGE_CASES = Math.max(1, Math.round(CASES / 4));

for (const [name, tbl] of Object.entries(PAGE_TABLES)) {
  test(`${name} page: parse never throws and always yields an in-range state that round-trips (${PAGE_CASES} seeded cases)`, () => {
    const r = rng(SEED ^ name.length * 7919);
    let refused = 0;
    for (let i = 0; i < PAGE_CASES; i++) {
      const hash = randomTableHash(r, tbl);
      try {
        const out = tbl.parse(hash);
        checkTableState(name, tbl, out.state, out.notes);
        if (out.notes.length) refused++;
        assert.ok(out.ignored.every((k) => typeof k === 'string' && k.length <= 21), 'ignored keys are clipped strings');
      } catch (e) {
        assert.fail(`${name}: case ${i} (seed ${SEED}) failed on ${JSON.stringify(hash).slice(0, 500)}: ${e.message}`);
      }
    }
    assert.ok(refused > PAGE_CASES / 4, `${name}: the generator does produce inputs the parser refuses (${refused})`);
  });
}

test('every page: the round trip keeps -0 as 0, empty and full lists, extreme and huge numbers, unicode and prototype keys', () => {
  for (const [name, tbl] of Object.entries(TABLES)) {
    const check = (hash) => { const out = tbl.parse(hash); checkTableState(name, tbl, out.state, out.notes); return out; };
    for (const f of tbl.fields) {
      const k = f.key;
      if (f.type === 'int' || f.type === 'float') {
        // "-0" is +0 wherever 0 is allowed; the range's ends round-trip exactly.
        const zero = check(`#${k}=-0`).state[f.name];
        if (inRangeOf(f)(0) && (f.type === 'float' || Number.isInteger(0))) assert.ok(Object.is(zero, 0), `${name}.${k}=-0 gives ${zero}`);
        for (const x of [f.min, f.max]) {
          // kept exactly, or a cross-field rule changed it and a note says so (toy: m ≤ n, ...)
          const out = check(`#${k}=${x}`);
          if (inRangeOf(f)(x)) assert.ok(out.state[f.name] === x || out.notes.length > 0, `${name}.${k}=${x} gave ${out.state[f.name]}`);
        }
        for (const huge of ['1e308', '-1e308', '1e309', '9'.repeat(400), '4294967296', '0.' + '0'.repeat(400) + '1', 'NaN', 'Infinity']) {
          const out = check(`#${k}=${huge}`);
          assert.ok(inRangeOf(f)(out.state[f.name]), `${name}.${k}=${huge.slice(0, 20)}`);
        }
      }
      if (f.type === 'enums' || f.type === 'floats') {
        const empty = check(`#${k}=`);
        if ((f.minLen || 0) > 0) assert.deepEqual(empty.state[f.name], f.def, `${name}.${k}= falls back`);
        else assert.deepEqual(empty.state[f.name], [], `${name}.${k}= is the empty list`);
        if (f.type === 'enums') assert.deepEqual(check(`#${k}=${f.values.join(',')}`).state[f.name], f.values);
      }
      for (const v of ['💥', 'ｒｅｌｕ', '\u202e', '%00', '%E0%A4%A', '<b>x</b>', '__proto__', 'constructor']) check(`#${k}=${v}`);
    }
    for (const hash of ['#__proto__=1&constructor=1&toString=1&prototype=1', '#__proto__[x]=1', `#${'&'.repeat(10000)}`,
      `#${Array.from({ length: 3000 }, (_, i) => `k${i}=${i}`).join('&')}`, '#💥=💥', '#%F0%9F%92%A5=1']) {
      const out = check(hash);
      assert.equal(Object.getPrototypeOf(out.state), Object.prototype, `${name}: the state is a plain object`);
    }
    assert.equal({}.polluted, undefined);
    assert.equal(Object.prototype.x, undefined);
    assert.equal(Object.prototype[1], undefined);
  }
});

test('the experiment pages keep their links: keys, defaults, and the short form they write', () => {
  const P = PAGE_TABLES;
  assert.equal(P.suppression.serialise(P.suppression.defaults()), '#');
  assert.deepEqual(P.suppression.parse('#c=2.2&p=0.3&mag=uniform&seed=5').state,
    { c: 2.2, p: 0.3, n: 1, mag: 'uniform', bias: 0, seed: 5, workers: 0 });
  assert.equal(P.suppression.serialise({ ...P.suppression.defaults(), c: 0.6 }), '#c=0.6');
  assert.deepEqual(P.suppression.parse('#c=-3&p=abc&mag=<b>x</b>').ignored, ['c', 'p', 'mag']);
  const sae = P.sae.parse('#latents=128&k=4&archs=relu,gated,topk');
  assert.deepEqual([sae.state.latents, sae.state.k, sae.state.archs], [128, 4, ['relu', 'gated', 'topk']]);
  assert.equal(P.sae.serialise(sae.state), '#archs=relu,gated,topk&k=4&latents=128');
  assert.deepEqual(P.sae.parse('#data=npy').ignored, ['data']);
  assert.match(P.sae.parse('#data=npy').notes[0], /cannot travel in a link/);
  assert.deepEqual(P.sae.parse('#l1=-4&archs=relu,softmax&data=toy').ignored, ['archs', 'l1']);
  const grok = P.grok.parse('#p=31&width=64&frac=0.5&lr=0.003');
  assert.deepEqual([grok.state.p, grok.state.width, grok.state.frac, grok.state.lr], [31, 64, 0.5, 0.003]);
  assert.equal(P.grok.serialise({ ...P.grok.defaults(), lr: 0.0003, model: 'residual' }), '#lr=0.0003&model=residual');
  assert.deepEqual(P.grok.parse('#p=12&width=abc').ignored, ['p', 'width']);
  const steer = P.steer.parse('#direction=latent:7&strength=1.5&mode=mean');
  assert.deepEqual([steer.state.direction, steer.state.strength, steer.state.mode], ['latent:7', 1.5, 'mean']);
  assert.equal(P.steer.serialise(steer.state), '#direction=latent:7&strength=1.5&mode=mean');
  assert.equal(P.steer.parse('#direction=latent:10').state.direction, 'latent:0', 'the default SAE has 2n = 10 latents');
  assert.equal(P.steer.parse('#direction=unit:1&m=3&n=2').state.m, 2, 'm ≤ n');
  assert.equal(P.steer.parse('#strength=0').state.strength, 0);
});
