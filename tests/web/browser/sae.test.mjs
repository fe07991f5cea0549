// The sparse-autoencoder page (web/sae.html, issue 5) in a real browser (Debian's Chromium via
// playwright-core, the built site): it trains the "sae" session with several architectures side
// by side, the metrics table and the views fill in as text and canvases, TopK's held-out L0 is
// k, the URL hash carries the state (a link reproduces the experiment), a malformed hash falls
// back with a note, the toy-model preset draws the 2-D arrows, and nothing logs an error.
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
