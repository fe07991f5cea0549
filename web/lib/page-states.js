// page-states.js: the state tables of the experiment pages (suppression, sae, grok, steer, lm): every
// control of each page as one declarative table (hash-state.js), so each experiment is a link.
// The toy lab's table is state.js.
//
// What it is: each page's fields (name = hash key, the config field it feeds, what the page offers
// less than the core: a slider's range, a menu) and its cross-field rules; a config field's type,
// default, range and choices come from the C++ schema (schema.js fromSchema; a unit test checks
// every table against it). The keys and their defaults are the links' contract (docs/embedding.md,
// tests/web/browser): a link written by an earlier version opens the same experiment. These pages
// write only the keys that differ from their defaults (`suppression.html#c=0.6`), and the
// file names of their saved figures are built from those keys.
// What it is not: no DOM (node's test runner imports it: tests/web/unit/state.fuzz.test.mjs
// fuzzes every table here) and no session config (each page's module builds that).
import { table } from './hash-state.js';
import { choicePresets, configField, fromSchema } from './schema.js';
import { WORKERS } from './workers.js';

// A page-only field (view state that is in no config).
const f = (name, type, def, more = {}) => ({ name, key: name, type, def, ...more });

/** suppression.html: the L1 coefficient c, feature probability p, features n, magnitude, decoder
 * bias; the worker pool's size (workers.js). */
export const SUPPRESSION = table([
  fromSchema('c', 'suppression', 'l1', { max: 2.5 }),
  fromSchema('p', 'suppression', 'feature_probability', { min: 0.01 }),
  fromSchema('n', 'suppression', 'n_features', { max: 4 }),
  fromSchema('mag', 'suppression', 'magnitude'),
  fromSchema('bias', 'suppression', 'decoder_bias'),
  fromSchema('seed', 'suppression', 'seed'),
  WORKERS,
], { omitDefaults: true });

export const SAE_ARCHS = configField('sae', 'archs').choices;
// How the pages name the architectures (the schema's choices; one it does not list shows its own name).
const SAE_ARCH_LABELS = { relu: 'ReLU', gated: 'Gated', jumprelu: 'JumpReLU', topk: 'TopK', batchtopk: 'BatchTopK', matryoshka: 'Matryoshka' };
/** An architecture's name as the pages show it ('batchtopk' → 'BatchTopK'). */
export const saeArchLabel = (arch) => SAE_ARCH_LABELS[arch] || arch;

// The hierarchical data's features (the C++ preset's): the hierarchy view's parent is one of them.
const HIERARCHICAL_FEATURES = configField('sae', 'data').presets.hierarchical.true_features;
const SAE_FIELDS = [
  fromSchema('data', 'sae', 'data', { values: ['synthetic', 'toy', 'hierarchical'],
    accepts: 'synthetic, toy or hierarchical (a .npy file cannot travel in a link)' }),
  fromSchema('archs', 'sae', 'archs', { def: ['relu', 'topk'], minLen: 1, maxLen: SAE_ARCHS.length }),
  fromSchema('l1', 'sae', 'l1', { min: 0.01, max: 1 }),
  fromSchema('k', 'sae', 'k', { max: 32 }),
  fromSchema('latents', 'sae', 'n_latents', { values: [64, 128, 256, 512] }),  // 512: the W2 recipe
  f('sweep', 'int', 0, { min: 0, max: 1 }),
  fromSchema('seed', 'sae', 'seed'),
  fromSchema('resample', 'sae', 'resample'),
  fromSchema('parent', 'sae', 'view_parent', { max: HIERARCHICAL_FEATURES - 1 }),  // the hierarchy view's parent
  WORKERS,
];

// The data presets of the C++ (the schema's presets of `data`: sae_data_presets in
// src/sae/sae_config.hpp): what this page's controls show (hierarchical: λ, k, latents) and the
// config keys sae.js sends beside them (SAE_DATA_CONFIG: features, dims, hierarchy, steps, batch).
const SCHEMA_DATA_PRESETS = choicePresets(SAE_FIELDS, 'sae', 'data');
/** The config keys (not the page's controls) each data source's C++ preset sets. */
export const SAE_DATA_CONFIG = Object.fromEntries(Object.entries(SCHEMA_DATA_PRESETS).map(([d, p]) => [d, p.config]));

/** What choosing a data source on the sae page sets (the toy data is ARENA's exercise: λ for its
 * dead-latent story, and k = 1 of its 5 latents for TopK; hierarchical: the C++ preset's λ, k and
 * latents, and the three architectures of SynthSAEBench's comparison, so the page shows its
 * ordering: Matryoshka above BatchTopK above ReLU + L1 in F1 at matched L0). A link keeps the
 * values it carries. */
export const SAE_DATA_PRESETS = {
  synthetic: { l1: 0.3, k: 5 },
  toy: { l1: 0.6, k: 1 },
  ...Object.fromEntries(Object.entries(SCHEMA_DATA_PRESETS).map(([d, p]) => [d, p.controls])),
  hierarchical: { ...SCHEMA_DATA_PRESETS.hierarchical.controls, archs: ['relu', 'batchtopk', 'matryoshka'] },
};

export const SAE = table(SAE_FIELDS, {
  omitDefaults: true,
  // The data source implies its λ and k, from a link as from the menu (SAE.applyPreset); a link
  // keeps the λ and k it carries, and one whose λ or k differ from the default writes them.
  preset: {
    key: 'data',
    apply(s, data) {
      s.data = data;
      for (const [name, v] of Object.entries(SAE_DATA_PRESETS[data] || {})) s[name] = Array.isArray(v) ? v.slice() : v;
    },
    // A value the preset implies and that differs from the field's default must be written
    // (`#data=toy&l1=0.3`: without l1 the link would mean λ 0.6).
    sets: (s, name) => {
      const implied = SAE_DATA_PRESETS[s.data] || {};
      return Object.hasOwn(implied, name) && implied[name] !== SAE.byName.get(name).def;
    },
  },
});

/** grok.html: modulus p, width, train fraction, weight decay, lr, model, loss. */
export const GROK = table([
  fromSchema('p', 'grok', 'p', { values: [23, 31, 53, 97, 113] }),
  fromSchema('width', 'grok', 'width', { min: 16, max: 1000 }),
  fromSchema('frac', 'grok', 'train_fraction', { min: 0.05, max: 0.9 }),
  fromSchema('wd', 'grok', 'weight_decay', { max: 3 }),
  fromSchema('lr', 'grok', 'lr', { values: [0.0003, 0.001, 0.003, 0.01] }),
  fromSchema('model', 'grok', 'model'),
  fromSchema('loss', 'grok', 'loss'),
  fromSchema('seed', 'grok', 'seed'),
], { omitDefaults: true });

/** The grok page's presets: ones that grok and one that does not (the contrast is the lesson). */
export const GROK_PRESETS = {
  groks: { p: 97, width: 500, frac: 0.3, wd: 1, lr: 0.001, model: 'mlp', loss: 'mse' },
  memorises: { p: 97, width: 500, frac: 0.2, wd: 0, lr: 0.001, model: 'mlp', loss: 'mse' },
  small: { p: 31, width: 64, frac: 0.5, wd: 1, lr: 0.003, model: 'mlp', loss: 'mse' },
  residual: { p: 23, width: 64, frac: 0.6, wd: 1, lr: 0.003, model: 'residual', loss: 'mse' },
};

/** The steer page's SAE kinds (docs/wasm-api.md, kind steer: sae.kind); a SAELens file the
 * user loads (sae.kind 'saelens') cannot travel in a link. */
export const STEER_SAES = configField('steer', 'sae.kind').choices.filter((k) => k !== 'saelens');

/** The latents of the steer page's SAE: 2n for a trained one, n for the perfect one
 * (docs/wasm-api.md, kind steer: sae.n_latents). */
export const steerLatents = (n, sae = 'topk') => (sae === 'perfect' ? n : 2 * n);

/** Where a steer direction points: `latent:I` (I < latents), `feature:I` (I < n), `unit:J` (J < m). */
export function steerDirectionLimit(direction, n, m, sae = 'topk') {
  const [kind] = direction.split(':');
  return kind === 'latent' ? steerLatents(n, sae) : kind === 'feature' ? n : m;
}

/** steer.html: the direction and strength of the steering, the input, the ablation's target and
 * mode, and the toy model (n features in m dims, probability p, seed) it acts on. */
export const STEER = table([
  fromSchema('direction', 'steer', 'direction', { pattern: /^(latent|feature|unit):\d{1,4}$/, maxLength: 16,
    accepts: 'latent:I, feature:I or unit:J' }),
  fromSchema('strength', 'steer', 'strength'),
  fromSchema('input', 'steer', 'input'),
  fromSchema('target', 'steer', 'target'),
  fromSchema('mode', 'steer', 'mode'),
  fromSchema('n', 'steer', 'toy.n_features', { max: 64 }),
  fromSchema('m', 'steer', 'toy.n_hidden', { max: 64 }),
  fromSchema('p', 'steer', 'toy.feature_probability', { type: 'float' }),  // one model, one p
  fromSchema('seed', 'steer', 'toy.seed'),
  fromSchema('sae', 'steer', 'sae.kind', { values: STEER_SAES }),
], {
  omitDefaults: true,
  // m ≤ n (the toy model's n_hidden is in [1, n_features]); the direction's index exists.
  reconcile(s) {
    const notes = [];
    if (s.m > s.n) {
      notes.push(`hidden dims m=${s.m} cannot exceed features n=${s.n}; clamped to m=${s.n}`);
      s.m = s.n;
    }
    const limit = steerDirectionLimit(s.direction, s.n, s.m, s.sae);
    if (Number(s.direction.split(':')[1]) >= limit) {
      notes.push(`direction ${s.direction} does not exist here (index below ${limit}); using latent:0`);
      s.direction = 'latent:0';
    }
    return notes;
  },
});

// Text the language-model page takes from a link: printable characters (no control characters).
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/u;

/** The lm page's toy-world prompts: the seed's weather sentence, and an induction prompt (a
 * span of random words, then the same span again: the toy world's `repeat` family). */
export const LM_PROMPTS = {
  toy: configField('lm', 'prompt').default,
  induction: 'moscow cup bananas red seven moscow cup bananas',
};

/** lm.html: the transformer's size and training run (docs/wasm-api.md, kind lm: n_layers,
 * d_model, n_heads, context, batch_size, steps, lr, seed) and the view of it (prompt, target,
 * temperature, sample_seed, ablation); a view key changes no weights. A text file cannot travel
 * in a link: the hash holds the toy world's experiments. */
export const LM = table([
  fromSchema('prompt', 'lm', 'prompt', { pattern: /^[^\u0000-\u001f\u007f]+$/u, maxLength: 200,
    accepts: 'text of 1–200 printable characters' }),
  fromSchema('target', 'lm', 'target', { pattern: PRINTABLE, maxLength: 40,
    accepts: 'one token of the vocabulary (empty: the top prediction)' }),
  fromSchema('layers', 'lm', 'n_layers'),
  fromSchema('d', 'lm', 'd_model', { values: [16, 32, 64, 128, 256] }),
  fromSchema('heads', 'lm', 'n_heads', { values: [1, 2, 4, 8] }),
  fromSchema('ctx', 'lm', 'context'),
  fromSchema('batch', 'lm', 'batch_size', { max: 256 }),
  fromSchema('steps', 'lm', 'steps', { max: 100000 }),
  fromSchema('lr', 'lm', 'lr', { values: [0.0003, 0.001, 0.003, 0.01] }),
  fromSchema('seed', 'lm', 'seed'),
  fromSchema('temp', 'lm', 'temperature', { max: 5 }),
  fromSchema('sseed', 'lm', 'sample_seed'),
  fromSchema('abl', 'lm', 'ablation'),
  // issue 16: the SAE trained after the model (the seed's example: on by default), its features
  fromSchema('sae', 'lm', 'sae_steps', { def: 3000, max: 20000 }),
  fromSchema('hook', 'lm', 'sae_hook', { pattern: /^blocks\.[0-5]\.(hook_resid_pre|hook_resid_mid|hook_resid_post|hook_attn_out|hook_mlp_out|mlp\.hook_post)$/,
    maxLength: 40, accepts: 'blocks.{l}.hook_resid_pre|mid|post, hook_attn_out, hook_mlp_out or mlp.hook_post' }),
  fromSchema('arch', 'lm', 'sae_arch'),
  fromSchema('latents', 'lm', 'sae_latents', { values: [64, 128, 256, 512] }),
  fromSchema('l1', 'lm', 'sae_l1', { max: 10 }),
  fromSchema('k', 'lm', 'sae_k', { max: 64 }),
  fromSchema('latent', 'lm', 'latent', { max: 511 }),
  fromSchema('label', 'lm', 'latent_label', { pattern: /^[a-z_]{1,40}$/, maxLength: 40, accepts: 'a label name (letters and _)' }),
  fromSchema('order', 'lm', 'latent_order'),
  fromSchema('strength', 'lm', 'steer_strength', { min: -32, max: 32 }),
  fromSchema('from', 'lm', 'steer_from', { max: 127 }),
  fromSchema('dir', 'lm', 'steer_direction'),
  fromSchema('pa', 'lm', 'steer_prompts_a', { pattern: /^[^\u0000-\u001f\u007f\ud800-\udfff]+$/u, maxLength: 300, accepts: 'prompts separated by ;' }),
  fromSchema('pb', 'lm', 'steer_prompts_b', { pattern: /^[^\u0000-\u001f\u007f\ud800-\udfff]+$/u, maxLength: 300, accepts: 'prompts separated by ;' }),
  fromSchema('unit', 'lm', 'steer_unit', { max: 1023 }),
  fromSchema('lablat', 'lm', 'latent_ablation'),
], { omitDefaults: true });

/** Every experiment page's table, by page (the fuzz test runs over each). */
export const PAGE_TABLES = { suppression: SUPPRESSION, sae: SAE, grok: GROK, steer: STEER, lm: LM };
