// The sparse-autoencoder page (web/pages/sae/sae.html, issue 5) in a real browser (Debian's Chromium via
// playwright-core, the built site): it trains the "sae" session with several architectures side
// by side, the metrics table and the views fill in as text and canvases, TopK's held-out L0 is
// k, the URL hash carries the state (a link reproduces the experiment), a malformed hash falls
// back with a note, the toy-model preset draws the 2-D arrows (ARENA: dead latents without
// resampling, 5/5 features with it), a .npy file the user opens trains (its bytes reach the
// session as they are), and nothing logs an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState, screenshotPath } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const framesAfter = (page, step) => page.waitForFunction((s) => {
  const S = window.superpose;
  return S.config && S.lastFrame && S.lastFrame.step >= s && S.lastFrame.buffers.metrics;
}, step, { timeout: 90000 });

test('the SAE page trains ReLU and TopK side by side: metrics, views, TopK L0 = k', async () => {
  const page = await lab.open('sae.html#latents=128&k=4');
  assert.equal(await page.title(), 'Superpose · sparse autoencoders');
  await framesAfter(page, 150);
  const s = await readState(page);
  assert.deepEqual(s.config.archs, ['relu', 'topk']);
  assert.equal(s.config.runs.length, 2);
  assert.equal(s.config.n_latents, 128);
  const m = s.frame.buffers.metrics;
  assert.deepEqual(m.shape, [2, 8]);
  // k, except for the rare sample with fewer than k positive pre-activations early in training
  assert.ok(m.data[8] <= 4 && m.data[8] > 3.8, `topk held-out L0 ${m.data[8]}`);
  assert.ok(m.data[2] > 0 && m.data[10] > 0, 'FVE above 0 for both runs');
  // The table shows the latest frame's numbers, as text (read together: frames keep coming).
  const shown = await page.evaluate(() => {
    const cells = Array.from(document.querySelectorAll('#metrics tbody tr')[1].querySelectorAll('td'), (td) => td.textContent);
    return { cells, l0: window.superpose.lastFrame.buffers.metrics.data[8] };
  });
  // (the table is redrawn on the next animation frame, so it may show the frame before: close, not equal)
  assert.match(shown.cells[0], /^\d+\.\d\d$/);
  assert.ok(Math.abs(Number(shown.cells[0]) - shown.l0) < 0.1, `table ${shown.cells[0]}, frame ${shown.l0}`);
  assert.equal(await page.locator('#metrics tbody tr th').first().textContent(), 'relu λ=0.3');
  assert.ok((await page.locator('canvas').count()) >= 6);
  assert.equal(await page.locator('#error').isHidden(), true);
  await page.screenshot({ path: screenshotPath('sae.png'), fullPage: true });
  console.log(`# screenshot ${screenshotPath('sae.png')}`);
  noProblems(page);
  await page.close();
});

test('choosing architectures and k retrains, and the hash follows', async () => {
  const page = await lab.open('sae.html#latents=64');
  await framesAfter(page, 20);
  await page.locator('fieldset.archs input[value="gated"]').check();
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.archs.includes('gated'), null, { timeout: 30000 });
  assert.match(page.url(), /archs=relu,gated,topk/);
  await page.locator('#k').fill('7');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.k === 7, null, { timeout: 30000 });
  await framesAfter(page, 60);
  const s = await readState(page);
  assert.deepEqual(s.config.runs.map((r) => r.arch), ['relu', 'gated', 'topk']);
  assert.match(page.url(), /k=7/);
  assert.equal(await page.locator('#k-value').textContent(), '7');
  noProblems(page);
  await page.close();
});

test('Matryoshka trains beside BatchTopK at the same k: its row names k, its L0 is near k', async () => {
  const page = await lab.open('sae.html#archs=batchtopk,matryoshka&latents=128&k=4');
  await framesAfter(page, 150);
  const s = await readState(page);
  assert.deepEqual(s.config.runs.map((r) => r.arch), ['batchtopk', 'matryoshka']);
  assert.deepEqual(s.config.runs.map((r) => r.k), [4, 4]);
  const m = s.frame.buffers.metrics.data;
  // BatchTopK's held-out L0 is k on average (θ from training), not exactly
  assert.ok(Math.abs(m[8] - 4) < 1.5, `matryoshka held-out L0 ${m[8]}`);
  assert.ok(m[10] > 0, `matryoshka FVE ${m[10]}`);
  const names = await page.locator('#metrics tbody tr th').allTextContents();
  assert.deepEqual(names, ['batchtopk k=4', 'matryoshka k=4']);
  assert.equal(await page.locator('fieldset.archs input[value="matryoshka"]').isChecked(), true);
  noProblems(page);
  await page.close();
});

test('hierarchical data: the ground-truth table, L0–F1/MCC paths and the hierarchy view; a parent change keeps the runs', async () => {
  const page = await lab.open('sae.html#data=hierarchical&archs=batchtopk,matryoshka');
  await framesAfter(page, 100);
  let s = await readState(page);
  assert.equal(s.config.data, 'hierarchical');
  assert.equal(s.config.true_features, 1024);
  assert.equal(s.config.n_latents, 256);
  assert.deepEqual(s.config.runs.map((r) => [r.arch, r.k]), [['batchtopk', 8], ['matryoshka', 8]]);
  const t = s.frame.buffers.truth_metrics;
  assert.deepEqual(t.shape, [2, 7]);
  for (const r of [0, 1]) assert.ok(t.data[r * 7 + 4] >= 0 && t.data[r * 7 + 4] <= 1, `F1 of run ${r}: ${t.data[r * 7 + 4]}`);
  await page.waitForFunction(() => !document.getElementById('hierarchy-panel').hidden, null, { timeout: 30000 });
  assert.equal(await page.locator('#truth-panel').isHidden(), false);
  assert.equal(await page.locator('#truth-pareto-panel').isHidden(), false);
  const cells = await page.locator('#truth tbody tr').nth(1).locator('td').allTextContents();
  assert.equal(cells.length, 7);
  assert.match(cells[4], /^\d\.\d{3}$/);
  const parents = await page.locator('#parent option').count();
  assert.ok(parents > 30, `${parents} parents in the menu`);
  // Another parent: a view key, the runs go on (the step does not fall back to 0).
  const step = s.frame.step;
  await page.locator('#parent').selectOption('1');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.view_parent === 1, null, { timeout: 30000 });
  assert.match(page.url(), /parent=1/);
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.hierarchy_features
    && window.superpose.lastFrame.buffers.hierarchy_features.data[0] === 1, null, { timeout: 30000 });
  s = await readState(page);
  assert.ok(s.frame.step >= step, `step ${s.frame.step} after the parent change, ${step} before`);
  noProblems(page);
  await page.close();
});

test('choosing the hierarchical data in the menu trains the paper\'s three architectures, the boxes say so', async () => {
  const page = await lab.open('sae.html');
  await framesAfter(page, 10);
  await page.locator('#data').selectOption('hierarchical');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.data === 'hierarchical', null, { timeout: 30000 });
  const s = await readState(page);
  assert.deepEqual(s.config.runs.map((r) => r.arch), ['relu', 'batchtopk', 'matryoshka']);
  const checked = await page.locator('fieldset.archs input:checked').evaluateAll((boxes) => boxes.map((b) => b.value));
  assert.deepEqual(checked, ['relu', 'batchtopk', 'matryoshka']);
  assert.match(page.url(), /data=hierarchical/);
  noProblems(page);
  await page.close();
});

test('a malformed hash falls back with a note; the toy preset draws decoder arrows', async () => {
  const page = await lab.open('sae.html#l1=-4&archs=relu,softmax&data=toy');
  await framesAfter(page, 50);
  const note = await page.locator('#notes').textContent();
  assert.match(note, /l1/);
  assert.match(note, /archs/);
  const s = await readState(page);
  assert.equal(s.config.data, 'toy');
  assert.equal(s.config.input_dim, 2);
  assert.equal(await page.locator('#arrows').isHidden(), false);
  assert.deepEqual(s.frame.buffers.W_dec.shape, [2, 2, 5]);
  noProblems(page);
  await page.close();
});

// ARENA's exercise (issue 5): the toy data's SAE starts from a random init; without resampling
// some latents die (grey, dashed, "dead" in the arrows view) and fewer than 5 features are
// recovered; with resampling (the default) 5/5 are, for the default seed.
const trained = (page) => page.waitForFunction(() => {
  const S = window.superpose;
  return S.config && S.done && S.lastFrame && S.lastFrame.done && S.lastFrame.buffers.latent_frequency;
}, null, { timeout: 120000 });

test('toy data is ARENA: dead latents without resampling, 5/5 features with it', async () => {
  const page = await lab.open('sae.html#archs=relu');
  await framesAfter(page, 20);
  await page.locator('#data').selectOption('toy');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.data === 'toy', null, { timeout: 30000 });
  assert.match(page.url(), /data=toy&archs=relu&l1=0.6&k=1/);  // the data source brings its preset
  assert.equal(await page.locator('#resample').isChecked(), true);
  await page.locator('#resample').uncheck();
  await page.waitForFunction(() => window.superpose.state.resample === 0 && window.superpose.config && !window.superpose.done, null, { timeout: 30000 });
  assert.match(page.url(), /resample=0/);
  await trained(page);
  let s = await readState(page);
  assert.equal(s.config.init, 'random');
  assert.equal(s.config.resample, false);
  const frequency = s.frame.buffers.latent_frequency;
  assert.deepEqual(frequency.shape, [1, 5]);
  const dead = frequency.data.filter((v) => v === 0).length;
  const m = s.frame.buffers.metrics.data;
  assert.ok(dead > 0, `dead latents without resampling: ${frequency.data}`);
  assert.ok(Math.abs(m[3] - dead / 5) < 1e-6, 'dead_fraction counts the same latents');
  assert.ok(m[7] < 1, `recovered ${m[7]} without resampling`);
  const legend = await page.locator('#arrows-legend').textContent();
  assert.match(legend, new RegExp(`dead latents.*\\(${dead} of 5; resampling is off\\)`));
  await page.screenshot({ path: screenshotPath('sae-arena-dead.png'), fullPage: true });

  await page.locator('#resample').check();
  await page.waitForFunction(() => window.superpose.state.resample === 1 && window.superpose.config && !window.superpose.done, null, { timeout: 30000 });
  assert.doesNotMatch(page.url(), /resample=/);
  await trained(page);
  s = await readState(page);
  assert.equal(s.config.resample, true);
  assert.equal(s.frame.buffers.metrics.data[7], 1, `recovered with resampling: ${s.frame.buffers.metrics.data}`);
  assert.equal(s.frame.buffers.latent_frequency.data.filter((v) => v === 0).length, 0);
  assert.match(await page.locator('#arrows-legend').textContent(), /\(0 of 5\)/);
  await page.screenshot({ path: screenshotPath('sae-arena.png'), fullPage: true });
  noProblems(page);
  await page.close();
});

test('a link and the menu agree: sae.html#data=toy trains λ 0.6 and k 1 (issue 14.4)', async () => {
  const page = await lab.open('sae.html#data=toy');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.data === 'toy', null, { timeout: 30000 });
  let s = await readState(page);
  assert.deepEqual([s.config.l1, s.config.k], [0.6, 1], 'the link applies the toy preset');
  assert.equal(s.config.runs.find((r) => r.arch === 'topk').k, 1);
  assert.equal(await page.locator('#l1-value').textContent(), '0.60');
  assert.equal(await page.locator('#k-value').textContent(), '1');
  // The menu: away and back to toy gives the same config.
  await page.locator('#data').selectOption('synthetic');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.data === 'synthetic', null, { timeout: 30000 });
  await page.locator('#data').selectOption('toy');
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.data === 'toy', null, { timeout: 30000 });
  s = await readState(page);
  assert.deepEqual([s.config.l1, s.config.k], [0.6, 1], 'the menu applies the same preset');
  // A link that carries λ keeps it, with the preset's k.
  await page.evaluate(() => { location.hash = '#data=toy&l1=0.2'; });
  await page.waitForFunction(() => window.superpose.config && window.superpose.config.l1 === 0.2, null, { timeout: 30000 });
  assert.equal((await readState(page)).config.k, 1);
  noProblems(page);
  await page.close();
});

test('TopK on the toy data runs with k = 1 of its 5 latents; its k sweep stays below 5', async () => {
  let page = await lab.open('sae.html#data=toy&archs=topk&l1=0.6&k=1');
  await framesAfter(page, 100);
  let s = await readState(page);
  assert.equal(s.config.runs[0].k, 1);
  assert.ok(s.frame.buffers.metrics.data[0] <= 1, `topk L0 ${s.frame.buffers.metrics.data[0]}`);
  noProblems(page);
  await page.close();
  page = await lab.open('sae.html#data=toy&archs=topk&sweep=1');
  await framesAfter(page, 50);
  s = await readState(page);
  assert.deepEqual(s.config.runs.map((r) => r.k), [1, 2, 3]);
  noProblems(page);
  await page.close();
});

// A (rows, cols) float32 .npy file, as numpy.save writes it (format 1.0, header padded to 64).
function npyFile(rows, cols, value) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = Buffer.alloc(10 + header.length + 4 * rows * cols);
  out.write('\x93NUMPY', 0, 'latin1');
  out[6] = 1;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  for (let i = 0; i < rows * cols; i++) out.writeFloatLE(value(i), 10 + header.length + 4 * i);
  return out;
}

test('a .npy file the user opens trains as it is: its bytes reach the session (no base64)', async () => {
  const page = await lab.open('sae.html#archs=topk&latents=16&k=2');
  await framesAfter(page, 1);
  const buffer = npyFile(200, 6, (i) => ((i * 37) % 101) / 101);
  await page.setInputFiles('#npy-file', { name: 'acts.npy', mimeType: 'application/octet-stream', buffer });
  await page.waitForFunction(() => {
    const S = window.superpose;
    return S.config && S.config.data === 'npy' && S.lastFrame && S.lastFrame.step > 0;
  }, null, { timeout: 60000 });
  const s = await readState(page);
  assert.equal(s.config.input_dim, 6, "the file's columns are the input dimension");
  assert.equal(s.config.true_features_known, false);
  assert.ok(!('npy_base64' in s.config));
  assert.equal(await page.locator('#error').isHidden(), true);
  noProblems(page);
  await page.close();
});

// Issue 14 #3: one link ran 6018, 6036 or 6046 steps by the timing of its last chunk, so its
// metrics differed in the third decimal. A run stops exactly at its configured steps, and the
// same link gives the same numbers, to the bit.
test('the same link twice: the run stops exactly at its steps and gives the same metrics', async () => {
  // 277 steps, not a round number: the worker's chunks (4, 8, 16, ... steps, then adapted to
  // their time) overshoot it unless the last one is clipped.
  const link = 'sae.html#latents=64&archs=relu,topk&k=3&seed=5&steps=277';
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const page = await lab.open(link);
    await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.done, null, { timeout: 180000 });
    const s = await readState(page);
    runs.push({ step: s.frame.step, total: s.frame.totalSteps, steps: s.config.steps, metrics: s.frame.buffers.metrics.data,
      status: await page.locator('#status').textContent() });
    noProblems(page);
    await page.close();
  }
  const [a, b] = runs;
  assert.equal(a.step, a.steps, `stopped at ${a.step} of ${a.steps}`);
  assert.equal(a.total, a.steps);
  assert.equal(b.step, b.steps);
  assert.equal(a.status, `trained (${a.steps} steps)`);
  assert.equal(a.metrics.length, 16);  // 2 runs × 8 metrics
  assert.deepEqual(b.metrics, a.metrics, 'the same link gave other metrics');
});
