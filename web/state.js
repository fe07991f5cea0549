// state.js: the page's whole experiment as one declarative table, serialised to the URL hash.
//
// What it is: every control of the toy-models lab (name, type, default, range, label, help),
// and the pure functions that turn a URL hash into a valid state and back. A URL is an
// experiment: copying it reproduces every control, the seed and the preset.
// What it is not: no DOM and no training logic here (node's test runner imports this file as is).
// Reference: tensorflow/playground src/state.ts (one table, hash serialisation); the config keys
// follow docs/wasm-api.md (kind `toy`), which follows Elhage et al. 2022, "Toy Models of
// Superposition", section 2 (n features, m hidden dims, feature probability p = 1 − S, importance).
//
// Hash grammar: `#key=value&key=value`. Unknown keys and malformed values are ignored and the
// default is used instead; each such fallback produces a human-readable note for the page to
// show (as text, never as HTML). Precedence: defaults ⊕ preset ⊕ explicit keys.

import { PRESETS } from './presets.js';

/** Model kinds of the toy lab (docs/wasm-api.md, key `model`). */
export const MODELS = ['relu', 'linear', 'relu-hidden', 'abs'];
export const CORRELATIONS = ['none', 'correlated', 'anticorrelated'];
export const SCHEDULES = ['constant', 'warmup', 'cosine'];
/** Panels a page can show (embed.html picks a subset with `views=`). */
export const VIEW_NAMES = ['grid', 'arrows', 'neurons', 'heatmap', 'norms', 'dims', 'scatter', 'loss'];

/**
 * The table. `key` is the short name used in the hash; `name` the state field.
 * type: int | float | enum | bool | floats (comma list) | enums (comma list).
 * `log`: the control is a log-scale slider. `group`: which control box holds it (null: not a
 * visible control). `lab`: the docs/wasm-api.md config key it feeds (if any).
 */
export const FIELDS = [
  { name: 'preset', key: 'preset', type: 'enum', values: ['', ...PRESETS.map((p) => p.id)], def: '',
    group: null, label: 'Preset' },
  { name: 'n', key: 'n', type: 'int', def: 5, min: 1, max: 100, group: 'data', lab: 'n_features',
    label: 'features n', help: 'Number of input features x_i (the things the model wants to represent).' },
  { name: 'm', key: 'm', type: 'int', def: 2, min: 1, max: 100, group: 'data', lab: 'n_hidden',
    label: 'hidden dims m', help: 'Dimensions of the hidden layer h = Wx. Superposition means representing n > m features.' },
  { name: 'k', key: 'k', type: 'int', def: 6, min: 1, max: 32, group: 'data', lab: 'n_instances',
    label: 'instances', help: 'Independent models trained side by side, one per feature probability (the small multiples).' },
  { name: 'pMax', key: 'pmax', type: 'float', def: 1, min: 0, minOpen: true, max: 1, log: true, group: 'data',
    label: 'p (first instance)', help: 'Feature probability of instance 0: each feature is non-zero with probability p (sparsity S = 1 − p).' },
  { name: 'pMin', key: 'pmin', type: 'float', def: 0.05, min: 0, minOpen: true, max: 1, log: true, group: 'data',
    label: 'p (last instance)', help: 'Feature probability of the last instance; instances in between are log-spaced.' },
  { name: 'pList', key: 'p', type: 'floats', def: [], min: 0, minOpen: true, max: 1, maxLen: 32, group: 'data',
    label: 'explicit p values', help: 'Optional comma-separated list of feature probabilities, one per instance (overrides the range and the instance count).' },
  { name: 'decay', key: 'decay', type: 'float', def: 1, min: 0, minOpen: true, max: 1, group: 'data', lab: 'importance_decay',
    label: 'importance decay', help: 'Feature i has importance I_i = decay^i in the loss: 1 = all equal, 0.7 = the paper’s steep decay.' },
  { name: 'corr', key: 'corr', type: 'enum', values: CORRELATIONS, def: 'none', group: 'data', lab: 'correlation',
    label: 'correlation', help: 'Features come in consecutive pairs: correlated pairs fire together, anticorrelated pairs never do.' },
  { name: 'model', key: 'model', type: 'enum', values: MODELS, def: 'relu', group: 'model', lab: 'model',
    label: 'model', help: 'relu: x′ = ReLU(WᵀWx + b). linear: x′ = WᵀWx + b. relu-hidden: x′ = ReLU(WᵀReLU(Wx) + b). abs: computes |x| with a ReLU hidden layer.' },
  { name: 'lr', key: 'lr', type: 'float', def: 1e-3, min: 1e-5, max: 1, log: true, group: 'train', lab: 'lr',
    label: 'learning rate', help: 'Adam’s step size.' },
  { name: 'batch', key: 'batch', type: 'int', def: 1024, min: 1, max: 65536, log: true, group: 'train', lab: 'batch_size',
    label: 'batch size', help: 'Synthetic samples x drawn per optimiser step.' },
  { name: 'steps', key: 'steps', type: 'int', def: 10000, min: 1, max: 1000000, log: true, group: 'train', lab: 'steps',
    label: 'steps', help: 'Training stops after this many steps (the schedule is laid out over it).' },
  { name: 'schedule', key: 'sched', type: 'enum', values: SCHEDULES, def: 'constant', group: 'train', lab: 'schedule',
    label: 'lr schedule', help: 'constant, linear warm-up (first 5% of steps), or cosine decay to 0.' },
  { name: 'seed', key: 'seed', type: 'int', def: 0, min: 0, max: 4294967295, group: 'train', lab: 'seed',
    label: 'seed', help: 'Same seed, same run: the initial W and every batch are drawn from it.' },
  { name: 'sel', key: 'sel', type: 'int', def: 0, min: 0, max: 31, group: null,
    label: 'selected instance' },
  { name: 'autoplay', key: 'autoplay', type: 'bool', def: true, group: null,
    label: 'start training on load' },
  { name: 'controls', key: 'controls', type: 'bool', def: true, group: null,
    label: 'show controls (embed)' },
  { name: 'views', key: 'views', type: 'enums', values: VIEW_NAMES, def: [], maxLen: VIEW_NAMES.length, group: null,
    label: 'panels to show (embed; empty = automatic)' },
];

/** The core's memory bound on one batch: n_instances × n_features × batch_size floats
 * (src/toy/toy_config.cpp kMaxBatchFloats); reconcile() clamps the batch to it. */
export const MAX_BATCH_FLOATS = 16 * 1024 * 1024;

export const FIELD_BY_NAME = new Map(FIELDS.map((f) => [f.name, f]));
export const FIELD_BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

/** A fresh state holding every default. */
export function defaults() {
  const s = {};
  for (const f of FIELDS) s[f.name] = Array.isArray(f.def) ? f.def.slice() : f.def;
  return s;
}

const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function inRange(f, x) {
  if (f.minOpen ? !(x > f.min) : !(x >= f.min)) return false;
  return x <= f.max;
}

function rangeText(f) {
  return `${f.minOpen ? '(' : '['}${f.min}, ${f.max}]`;
}

/** Describe what a field accepts, for notes. */
export function describe(f) {
  switch (f.type) {
    case 'int': return `a whole number in ${rangeText(f)}`;
    case 'float': return `a number in ${rangeText(f)}`;
    case 'enum': return `one of ${f.values.filter((v) => v !== '').join(', ')}`;
    case 'bool': return '0 or 1';
    case 'floats': return `up to ${f.maxLen} comma-separated numbers in ${rangeText(f)}`;
    case 'enums': return `a comma-separated list of ${f.values.join(', ')}`;
    default: return 'a valid value';
  }
}

/**
 * Parse one raw string for field f. Returns {ok: true, value} or {ok: false}.
 * Pure and total: never throws.
 */
export function parseValue(f, raw) {
  const s = String(raw).trim();
  switch (f.type) {
    case 'int': {
      if (!INT_RE.test(s)) return { ok: false };
      const x = Number(s) + 0;  // + 0: "-0" is 0 (a state must round-trip through its hash)
      return Number.isSafeInteger(x) && inRange(f, x) ? { ok: true, value: x } : { ok: false };
    }
    case 'float': {
      if (!FLOAT_RE.test(s)) return { ok: false };
      const x = Number(s);
      return Number.isFinite(x) && inRange(f, x) ? { ok: true, value: x } : { ok: false };
    }
    case 'enum':
      return f.values.includes(s) ? { ok: true, value: s } : { ok: false };
    case 'bool':
      if (s === '1' || s === 'true') return { ok: true, value: true };
      if (s === '0' || s === 'false') return { ok: true, value: false };
      return { ok: false };
    case 'floats': {
      if (s === '') return { ok: true, value: [] };
      const parts = s.split(',');
      if (parts.length > f.maxLen) return { ok: false };
      const out = [];
      for (const p of parts) {
        const r = parseValue({ ...f, type: 'float' }, p);
        if (!r.ok) return { ok: false };
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    case 'enums': {
      if (s === '') return { ok: true, value: [] };
      const parts = s.split(',').map((p) => p.trim());
      if (parts.length > f.maxLen || parts.some((p) => !f.values.includes(p))) return { ok: false };
      return { ok: true, value: [...new Set(parts)] };
    }
    default:
      return { ok: false };
  }
}

/** Format one value for the hash (the inverse of parseValue). */
export function formatValue(f, v) {
  switch (f.type) {
    case 'bool': return v ? '1' : '0';
    case 'floats': return v.map(formatNumber).join(',');
    case 'enums': return v.join(',');
    case 'float': return formatNumber(v);
    default: return String(v);
  }
}

/** Shortest decimal that round-trips through parseFloat (so URLs stay short and exact). */
export function formatNumber(x) {
  for (let d = 1; d <= 17; d++) {
    const s = Number(x.toPrecision(d));
    if (s === x) return String(s);
  }
  return String(x);
}

/** Keep untrusted text short in notes (it is shown with textContent, never as HTML). */
function clip(s, n = 40) {
  const t = String(s);
  return t.length > n ? `${t.slice(0, n)}…` : t;
}

function safeDecode(s) {
  try {
    return { ok: true, value: decodeURIComponent(s.replace(/\+/g, ' ')) };
  } catch {
    return { ok: false };
  }
}

/** Apply a preset's values over a state (fields the preset does not name keep their value). */
export function applyPreset(state, id) {
  const p = PRESETS.find((q) => q.id === id);
  if (!p) return state;
  for (const [name, v] of Object.entries(p.state)) {
    state[name] = Array.isArray(v) ? v.slice() : v;
  }
  state.preset = id;
  return state;
}

/**
 * Cross-field rules (the per-field table cannot express them). Mutates state, returns notes.
 * - m ≤ n (docs/wasm-api.md: n_hidden in [1, n_features]);
 * - an explicit p list sets the number of instances;
 * - the selected instance exists;
 * - the batch fits the core's memory bound (k × n × batch floats, src/toy/toy_config.cpp).
 */
export function reconcile(state) {
  const notes = [];
  if (state.m > state.n) {
    notes.push(`hidden dims m=${state.m} cannot exceed features n=${state.n}; using m=${state.n}`);
    state.m = state.n;
  }
  if (state.pList.length > 0 && state.k !== state.pList.length) {
    state.k = state.pList.length;
  }
  if (state.sel >= state.k) state.sel = 0;
  const maxBatch = Math.floor(MAX_BATCH_FLOATS / (state.k * state.n));
  if (state.batch > maxBatch) {
    notes.push(`batch size ${state.batch} × ${state.k} instances × ${state.n} features is too large for the browser; using batch ${maxBatch}`);
    state.batch = maxBatch;
  }
  return notes;
}

/**
 * Parse a URL hash ('#a=1&b=2', with or without '#') into {state, notes}.
 * Total: any string gives a valid state; every fallback is explained in `notes`.
 */
export function parseHash(hash) {
  const state = defaults();
  const notes = [];
  const text = String(hash || '').replace(/^#/, '');
  const pairs = [];
  if (text.length > 0) {
    for (const part of text.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const rawKey = eq < 0 ? part : part.slice(0, eq);
      const rawVal = eq < 0 ? null : part.slice(eq + 1);
      const k = safeDecode(rawKey);
      const v = rawVal === null ? { ok: true, value: null } : safeDecode(rawVal);
      if (!k.ok || !v.ok) {
        notes.push(`could not decode “${clip(part)}”; ignored`);
        continue;
      }
      pairs.push([k.value, v.value]);
    }
  }
  // The preset first, so explicit keys override it wherever they appear in the hash.
  const presetPair = pairs.filter(([k]) => k === 'preset').pop();
  if (presetPair) {
    const f = FIELD_BY_KEY.get('preset');
    const r = presetPair[1] === null ? { ok: false } : parseValue(f, presetPair[1]);
    if (r.ok) applyPreset(state, r.value);
    else notes.push(`unknown preset “${clip(presetPair[1])}”; using the defaults`);
  }
  for (const [key, val] of pairs) {
    if (key === 'preset') continue;
    const f = FIELD_BY_KEY.get(key);
    if (!f) {
      notes.push(`unknown setting “${clip(key)}”; ignored`);
      continue;
    }
    const r = val === null ? { ok: false } : parseValue(f, val);
    if (r.ok) state[f.name] = r.value;
    else notes.push(`“${clip(key)}=${clip(val ?? '')}” is not ${describe(f)}; using ${clip(formatValue(f, state[f.name]))}`);
  }
  notes.push(...reconcile(state));
  return { state, notes };
}

/** Serialise every field (not only non-defaults: a link must survive a change of defaults). */
export function toHash(state) {
  const parts = [];
  // An empty list is left out, unless the preset sets that field (then `p=` must override it).
  const preset = PRESETS.find((q) => q.id === state.preset);
  for (const f of FIELDS) {
    const v = state[f.name];
    if (f.name === 'preset' && v === '') continue;
    const empty = (f.type === 'floats' || f.type === 'enums') && v.length === 0;
    if (empty && !(preset && Object.hasOwn(preset.state, f.name))) continue;
    // Commas are legal in a fragment: keep lists readable (p=1,0.1,0.01) in shared links.
    parts.push(`${f.key}=${encodeURIComponent(formatValue(f, v)).replace(/%2C/g, ',')}`);
  }
  return `#${parts.join('&')}`;
}

/**
 * Feature probability of each instance: the explicit list, else log-spaced from pMax
 * (instance 0) down to pMin (last instance), like the paper's colab (20^−linspace(0, 1, K)).
 */
export function featureProbabilities(state) {
  if (state.pList.length > 0) return state.pList.slice();
  const K = state.k;
  if (K === 1) return [state.pMax];
  const out = [];
  const a = Math.log(state.pMax);
  const b = Math.log(state.pMin);
  for (let i = 0; i < K; i++) out.push(Number(Math.exp(a + ((b - a) * i) / (K - 1)).toPrecision(6)));
  return out;
}

/** The lab config JSON (docs/wasm-api.md, kind `toy`) for a state. */
export function toLabConfig(state) {
  const cfg = {};
  for (const f of FIELDS) if (f.lab) cfg[f.lab] = state[f.name];
  cfg.n_instances = state.pList.length > 0 ? state.pList.length : state.k;
  cfg.feature_probability = featureProbabilities(state);
  if (state.schedule === 'warmup') cfg.warmup_steps = Math.max(1, Math.round(state.steps * 0.05));
  return cfg;
}

/** Fields whose change needs a new model (everything the lab config depends on). */
export function needsReconfigure(a, b) {
  const ca = JSON.stringify(toLabConfig(a));
  const cb = JSON.stringify(toLabConfig(b));
  return ca !== cb;
}
