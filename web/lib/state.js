// state.js: the page's whole experiment as one declarative table, serialised to the URL hash.
//
// What it is: every control of the toy-models lab (name, hash key, the config field it feeds,
// label, help; a config field's type, default, range and choices are the C++ schema's, schema.js,
// narrowed where the page offers less: a slider's range, its own default), and the pure functions that turn a URL hash into a valid state and back. A URL is an
// experiment: copying it reproduces every control, the seed and the preset.
// What it is not: no DOM and no training logic here (node's test runner imports this file as is);
// the hash machinery itself (field types, parsing, serialising) is hash-state.js, shared by every
// page.
// Reference: tensorflow/playground src/state.ts (one table, hash serialisation); the config keys
// follow docs/wasm-api.md (kind `toy`), which follows Elhage et al. 2022, "Toy Models of
// Superposition", section 2 (n features, m hidden dims, feature probability p = 1 − S, importance).
//
// Hash grammar: `#key=value&key=value`. Unknown keys and malformed values are ignored and the
// default is used instead; each such fallback produces a human-readable note for the page to
// show (as text, never as HTML). Precedence: defaults ⊕ preset ⊕ explicit keys.

import { PRESETS } from './presets.js';
import { table, parseValue, formatValue, formatNumber, describe } from './hash-state.js';
import { configField, fromSchema } from './schema.js';
import { WORKERS } from './workers.js';

export { parseValue, formatValue, formatNumber, describe };

/** Model kinds of the toy lab (docs/wasm-api.md, key `model`). */
export const MODELS = configField('toy', 'model').choices;
export const CORRELATIONS = configField('toy', 'correlation').choices;
export const SCHEDULES = configField('toy', 'schedule').choices;
/** Panels a page can show (embed.html picks a subset with `views=`). */
export const VIEW_NAMES = ['grid', 'arrows', 'neurons', 'heatmap', 'norms', 'dims', 'scatter', 'loss'];

// A field of kind toy's config (schema.js fromSchema) under the state name `name` and hash key `key`.
function toy(name, key, path, page) {
  return fromSchema(name, 'toy', path, { key, ...page });
}

/**
 * The table. `key` is the short name used in the hash; `name` the state field.
 * type: int | float | enum | bool | floats (comma list) | enums (comma list).
 * `log`: the control is a log-scale slider. `group`: which control box holds it (null: not a
 * visible control). `lab`: the docs/wasm-api.md config key it feeds (if any).
 */
export const FIELDS = [
  { name: 'preset', key: 'preset', type: 'enum', values: ['', ...PRESETS.map((p) => p.id)], def: '',
    group: null, label: 'Preset' },
  toy('n', 'n', 'n_features', { max: 100, group: 'data', lab: 'n_features',
    label: 'features n', help: 'Number of input features x_i (the things the model wants to represent).' }),
  toy('m', 'm', 'n_hidden', { max: 100, group: 'data', lab: 'n_hidden',
    label: 'hidden dims m', help: 'Dimensions of the hidden layer h = Wx. Superposition means representing n > m features.' }),
  toy('k', 'k', 'n_instances', { def: 6, max: 32, group: 'data', lab: 'n_instances',
    label: 'instances', help: 'Independent models trained side by side, one per feature probability (the small multiples).' }),
  // The feature probabilities: log-spaced from pMax to pMin, or the explicit list pList.
  toy('pMax', 'pmax', 'feature_probability', { type: 'float', def: 1, log: true, group: 'data',
    label: 'p (first instance)', help: 'Feature probability of instance 0: each feature is non-zero with probability p (sparsity S = 1 − p).' }),
  toy('pMin', 'pmin', 'feature_probability', { type: 'float', def: 0.05, log: true, group: 'data',
    label: 'p (last instance)', help: 'Feature probability of the last instance; instances in between are log-spaced.' }),
  toy('pList', 'p', 'feature_probability', { def: [], maxLen: 32, group: 'data',
    label: 'explicit p values', help: 'Optional comma-separated list of feature probabilities, one per instance (overrides the range and the instance count).' }),
  toy('decay', 'decay', 'importance_decay', { group: 'data', lab: 'importance_decay',
    label: 'importance decay', help: 'Feature i has importance I_i = decay^i in the loss: 1 = all equal, 0.7 = the paper’s steep decay.' }),
  toy('corr', 'corr', 'correlation', { group: 'data', lab: 'correlation',
    label: 'correlation', help: 'Features come in consecutive pairs: correlated pairs fire together, anticorrelated pairs never do.' }),
  toy('model', 'model', 'model', { group: 'model', lab: 'model',
    label: 'model', help: 'relu: x′ = ReLU(WᵀWx + b). linear: x′ = WᵀWx + b. relu-hidden: x′ = ReLU(WᵀReLU(Wx) + b). abs: computes |x| with a ReLU hidden layer.' }),
  toy('lr', 'lr', 'lr', { min: 1e-5, max: 1, log: true, group: 'train', lab: 'lr',
    label: 'learning rate', help: 'Adam’s step size.' }),
  toy('batch', 'batch', 'batch_size', { log: true, group: 'train', lab: 'batch_size',
    label: 'batch size', help: 'Synthetic samples x drawn per optimiser step.' }),
  toy('steps', 'steps', 'steps', { max: 1000000, log: true, group: 'train', lab: 'steps',
    label: 'steps', help: 'Training stops after this many steps (the schedule is laid out over it).' }),
  toy('schedule', 'sched', 'schedule', { group: 'train', lab: 'schedule',
    label: 'lr schedule', help: 'constant, linear warm-up (first 5% of steps), or cosine decay to 0.' }),
  toy('seed', 'seed', 'seed', { group: 'train', lab: 'seed',
    label: 'seed', help: 'Same seed, same run: the initial W and every batch are drawn from it.' }),
  { name: 'sel', key: 'sel', type: 'int', def: 0, min: 0, max: 31, group: null,
    label: 'selected instance' },
  { name: 'autoplay', key: 'autoplay', type: 'bool', def: true, group: null,
    label: 'start training on load' },
  { name: 'controls', key: 'controls', type: 'bool', def: true, group: null,
    label: 'show controls (embed)' },
  { name: 'views', key: 'views', type: 'enums', values: VIEW_NAMES, def: [], maxLen: VIEW_NAMES.length, group: null,
    label: 'panels to show (embed; empty = automatic)' },
  WORKERS,
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
 * - the selected instance exists (noted);
 * - the batch fits the core's memory bound (k × n × batch floats, src/toy/toy_config.cpp).
 */
export function reconcile(state) {
  const notes = [];
  if (state.m > state.n) {
    notes.push(`hidden dims m=${state.m} cannot exceed features n=${state.n}; clamped to m=${state.n}`);
    state.m = state.n;
  }
  if (state.pList.length > 0 && state.k !== state.pList.length) {
    state.k = state.pList.length;
  }
  if (state.sel >= state.k) {
    notes.push(`selected instance sel=${state.sel} does not exist (${state.k} instances); using sel=0`);
    state.sel = 0;
  }
  const maxBatch = Math.floor(MAX_BATCH_FLOATS / (state.k * state.n));
  if (state.batch > maxBatch) {
    notes.push(`batch size ${state.batch} × ${state.k} instances × ${state.n} features is too large for the browser; clamped to batch ${maxBatch}`);
    state.batch = maxBatch;
  }
  return notes;
}

/** The table with its preset and cross-field rules (hash-state.js does the parsing). */
export const TABLE = table(FIELDS, {
  reconcile,
  preset: {
    key: 'preset',
    apply: applyPreset,
    // An explicit empty list over a preset that sets that field must be written (`p=`).
    sets: (state, name) => {
      const p = PRESETS.find((q) => q.id === state.preset);
      return !!(p && Object.hasOwn(p.state, name));
    },
  },
});

/**
 * Parse a URL hash ('#a=1&b=2', with or without '#') into {state, notes, ignored}.
 * Total: any string gives a valid state; every fallback is explained in `notes`.
 */
export function parseHash(hash) {
  return TABLE.parse(hash);
}

/** Serialise every field (not only non-defaults: a link must survive a change of defaults). */
export function toHash(state) {
  return TABLE.serialise(state);
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
