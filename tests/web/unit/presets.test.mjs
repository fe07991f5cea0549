// Unit tests for web/lib/presets.js: what a preset's text promises is what its config trains.
// The intro preset's lab config is trained over several seeds by tests/unit/test_toy_paper.cpp
// (kIntroPresetConfig), which checks the blurb's story; this file checks that the doctest trains
// exactly the config the page sends, and that the text states that config's sparsity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { siteImport } from '../site-schema.mjs';
import { PRESETS } from '../../../web/lib/presets.js';

const { defaults, applyPreset, toLabConfig, featureProbabilities } = await siteImport('lib/state.js');

const doctestSource = readFileSync(new URL('../../unit/test_toy_paper.cpp', import.meta.url), 'utf8');

test('the doctest trains exactly the lab config of the intro preset', () => {
  const m = doctestSource.match(/kIntroPresetConfig = R"json\((.*?)\)json"/s);
  assert.ok(m, 'kIntroPresetConfig not found in tests/unit/test_toy_paper.cpp');
  assert.deepEqual(JSON.parse(m[1]), toLabConfig(applyPreset(defaults(), 'intro')));
});

test('the intro text names the sparsity it trains and promises the pentagon at the sparsest', () => {
  const intro = PRESETS.find((p) => p.id === 'intro');
  const state = applyPreset(defaults(), 'intro');
  const p = featureProbabilities(state);
  assert.equal(state.sel, p.length - 1, 'the selected instance is the sparsest');
  assert.ok(intro.blurb.includes(`down to ${p[p.length - 1]}`), `the blurb names p = ${p[p.length - 1]}`);
  assert.match(intro.blurb, /then all five as a pentagon/);
  // The formula's base is pMax / pMin.
  assert.ok(intro.formula.includes(`p = ${state.pMax / state.pMin}^(−i/(K−1))`), intro.formula);
});
