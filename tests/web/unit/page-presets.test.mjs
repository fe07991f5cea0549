// A preset from a link and from the menu (issue 14.4): a field that implies others (the toy lab's
// `preset`, the sae page's `data`) gives the same state whether it comes in the URL hash or is
// chosen in the page's menu (table.applyPreset over the defaults); the keys a link carries keep
// their values, wherever they stand; and every such state round-trips through its own link.
// What it is not: the pages themselves (tests/web/browser/sae.test.mjs opens sae.html#data=toy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { siteImport } from '../site-schema.mjs';

const { TABLE: TOY } = await siteImport('lib/state.js');
const { SAE, SAE_DATA_PRESETS, SAE_DATA_CONFIG, PAGE_TABLES } = await siteImport('lib/page-states.js');
const { configField } = await siteImport('lib/schema.js');

// Every table whose preset field exists, with that field's link values.
const PRESET_TABLES = [['toy', TOY, 'preset'], ['sae', SAE, 'data']];

test('every table with a preset field is listed here', () => {
  for (const [name, t] of Object.entries(PAGE_TABLES)) {
    const listed = PRESET_TABLES.some(([, u]) => u === t);
    let hasPreset = true;
    try { t.applyPreset(t.defaults(), t.fields[0].def); } catch { hasPreset = false; }
    assert.equal(listed, hasPreset, `${name}: listed ${listed}, has a preset ${hasPreset}`);
  }
});

test('a link #key=value gives the state the menu gives from the defaults, with no notes', () => {
  for (const [name, t, key] of PRESET_TABLES) {
    for (const value of t.byKey.get(key).values.filter((v) => v !== '')) {
      const fromLink = t.parse(`#${key}=${value}`);
      assert.deepEqual(fromLink.notes, [], `${name} ${key}=${value}`);
      assert.deepEqual(fromLink.state, t.applyPreset(t.defaults(), value), `${name} ${key}=${value}`);
      assert.deepEqual(t.parse(t.serialise(fromLink.state)).state, fromLink.state, `${name} ${key}=${value} round trip`);
    }
  }
});

test('sae.html#data=toy trains λ 0.6 and k 1, like the menu; a link keeps the λ and k it carries', () => {
  assert.deepEqual(SAE_DATA_PRESETS.toy, { l1: 0.6, k: 1 });
  const s = SAE.parse('#data=toy').state;
  assert.deepEqual([s.data, s.l1, s.k], ['toy', 0.6, 1]);
  for (const hash of ['#data=toy&l1=0.2', '#l1=0.2&data=toy']) {
    const t = SAE.parse(hash).state;
    assert.deepEqual([t.l1, t.k], [0.2, 1], hash);
  }
  assert.deepEqual([SAE.parse('#k=3&data=toy').state.l1, SAE.parse('#k=3&data=toy').state.k], [0.6, 3]);
  // The defaults still write the empty link; synthetic data implies the default λ and k.
  assert.equal(SAE.serialise(SAE.defaults()), '#');
  assert.equal(SAE.serialise(SAE.parse('#data=synthetic').state), '#');
  // Toy data with the default λ and k must write them: without them the link would mean 0.6, 1.
  const back = { ...SAE.defaults(), data: 'toy' };
  assert.equal(SAE.serialise(back), '#data=toy&l1=0.3&k=5');
  assert.deepEqual(SAE.parse(SAE.serialise(back)).state, back);
  assert.equal(SAE.serialise(SAE.parse('#data=toy').state), '#data=toy&l1=0.6&k=1');
  // A bad value of the preset field itself is noted as any field is, and keeps the defaults.
  const bad = SAE.parse('#data=npy');
  assert.deepEqual(bad.state, SAE.defaults());
  assert.match(bad.notes[0], /“data=npy” is not synthetic, toy or hierarchical \(a \.npy file cannot travel in a link\); using synthetic/);
  // A malformed λ next to toy data falls back to the toy preset's λ, not the table default.
  assert.equal(SAE.parse('#l1=-4&data=toy').state.l1, 0.6);
});

test('sae.html#data=hierarchical is the C++ preset (the schema\'s presets of data): every key, no other', () => {
  const preset = configField('sae', 'data').presets.hierarchical;
  assert.ok(Object.keys(preset).length >= 6, JSON.stringify(preset));
  const s = SAE.parse('#data=hierarchical').state;
  assert.deepEqual(s, SAE.applyPreset(SAE.defaults(), 'hierarchical'));
  // Each preset key is either a control of the page (its value in the state) or a config key
  // sae.js sends as it is (SAE_DATA_CONFIG); together they are the preset, nothing added.
  const shown = {};
  for (const g of SAE.fields) if (g.schema && Object.hasOwn(preset, g.schema.path)) shown[g.schema.path] = s[g.name];
  assert.deepEqual({ ...shown, ...SAE_DATA_CONFIG.hierarchical }, preset);
  assert.deepEqual(Object.keys(shown).sort(), ['k', 'l1', 'n_latents']);
  for (const key of Object.keys(SAE_DATA_CONFIG.hierarchical)) assert.ok(!Object.hasOwn(shown, key), key);
  // The hierarchy view's parent ranges over the preset's features.
  assert.equal(SAE.byName.get('parent').max, preset.true_features - 1);
  // A link keeps the latents it carries over the preset's.
  assert.equal(SAE.parse('#data=hierarchical&latents=128').state.latents, 128);
  // The page's own part of the preset: the paper's three architectures, so the default shows
  // its ordering; a link keeps the architectures it carries, and the default pair is written.
  assert.deepEqual(s.archs, ['relu', 'batchtopk', 'matryoshka']);
  assert.deepEqual(SAE.parse('#data=hierarchical&archs=relu,topk').state.archs, ['relu', 'topk']);
  const pair = SAE.parse(SAE.serialise({ ...s, archs: ['relu', 'topk'] })).state;
  assert.deepEqual(pair.archs, ['relu', 'topk']);
  assert.deepEqual(SAE.parse(SAE.serialise(s)).state, s);
});
