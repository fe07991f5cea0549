// The lab page (web/pages/toy/index.html) in a real browser: Debian's Chromium via playwright-core, the
// built site (build/wasm/site, or SUPERPOSE_SITE) served on a loopback port. Checks what the
// issue asks: no console errors, play trains and the loss falls, pause stops, the UI answers
// while training, a preset URL reproduces its configuration, a malformed hash shows the
// fallback note, the n=5/m=2 sparse preset ends as a pentagon (read from window.superpose).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState, stepOf, screenshotPath } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);

test('the lab loads with no console errors and trains at once; time to the first trained frame', async () => {
  const page = await lab.open('index.html');
  await page.waitForFunction(() => window.superpose.firstFrameMs !== null, null, { timeout: 60000 });
  const s = await readState(page);
  // performance.now() counts from navigation start, so this is navigation → first trained frame.
  console.log(`# first trained frame ${s.firstFrameMs.toFixed(0)} ms after navigation (index.html, intro preset)`);
  assert.equal(s.state.preset, 'intro', 'a first visit opens on the intro preset');
  assert.equal(await page.title(), 'Superpose · toy models of superposition');  // the registry's title (web/lib/pages.js)
  assert.equal(await page.locator('#notes').isHidden(), true);
  assert.equal(await page.locator('#error').isHidden(), true);
  // Every panel has its explanation and formula.
  const panels = await page.locator('.panel').count();
  assert.ok(panels >= 8, `${panels} panels`);
  assert.equal(await page.locator('.panel .formula').count(), panels);
  await page.waitForFunction(() => window.superpose.lastFrame.step >= 3000, null, { timeout: 60000 });
  await page.screenshot({ path: screenshotPath('toy.png'), fullPage: true });
  console.log(`# screenshot ${screenshotPath('toy.png')}`);
  noProblems(page);
  await page.close();
});

test('play trains (step and loss change, loss goes down) and pause stops', async () => {
  const page = await lab.open('index.html#preset=importance&autoplay=0&steps=100000');
  assert.equal(await page.locator('#step-count').textContent(), '0');
  assert.equal(await page.locator('#play').textContent(), '▶ play');
  await page.click('#play');
  await page.waitForFunction(() => window.superpose.lastFrame.step > 0, null, { timeout: 30000 });
  const early = await readState(page);
  await page.waitForFunction(() => window.superpose.lastFrame.step >= 2500, null, { timeout: 60000 });
  const later = await readState(page);
  assert.ok(later.frame.step > early.frame.step);
  assert.ok(Number(await page.locator('#step-count').textContent()) > 0);
  assert.notEqual(await page.locator('#loss').textContent(), '–');
  assert.ok(later.frame.lossTotal < 0.8 * early.frame.lossTotal,
    `loss should fall: ${early.frame.lossTotal} at step ${early.frame.step} -> ${later.frame.lossTotal} at step ${later.frame.step}`);
  assert.equal(await page.locator('#play').getAttribute('aria-pressed'), 'true');
  // Pause: the counter stops.
  await page.click('#play');
  await page.waitForFunction(() => !window.superpose.running && !window.superpose.lastFrame.running, null, { timeout: 10000 });
  const stopped = await stepOf(page);
  await page.waitForTimeout(600);
  assert.equal(await stepOf(page), stopped, 'no steps after pause');
  assert.equal(await page.locator('#step-count').textContent(), String(stopped));
  assert.equal(await page.locator('#play').textContent(), '▶ play');
  // Single step and reset.
  await page.click('#step');
  await page.waitForFunction((s) => window.superpose.lastFrame.step === s + 1, stopped, { timeout: 10000 });
  await page.click('#reset');
  await page.waitForFunction(() => window.superpose.lastFrame.step === 0, null, { timeout: 10000 });
  noProblems(page);
  await page.close();
});

test('the page stays responsive while training: a click is handled at once', async () => {
  const page = await lab.open('index.html#preset=dims&steps=1000000');
  await page.waitForFunction(() => window.superpose.lastFrame.step > 100, null, { timeout: 30000 });
  const before = await stepOf(page);
  const t0 = Date.now();
  await page.click('.tile[data-instance="2"]', { timeout: 5000 });
  await page.waitForFunction(() => window.superpose.state.sel === 2
    && document.querySelector('.tile[data-instance="2"]').getAttribute('aria-pressed') === 'true', null, { timeout: 5000 });
  console.log(`# tile click handled in ${Date.now() - t0} ms while training (includes playwright round trips)`);
  assert.match(page.url(), /sel=2/);
  // Main-thread latency while training: a 0 ms timer fires promptly (generous bound).
  const lag = await page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); }));
  assert.ok(lag < 500, `setTimeout(0) took ${lag} ms`);
  await page.waitForFunction((s) => window.superpose.lastFrame.step > s + 500, before, { timeout: 30000 });
  assert.equal((await readState(page)).running, true, 'training went on');
  // A control change while training restarts the experiment with the new value.
  await page.fill('#ctl-lr', '0.002');
  await page.dispatchEvent('#ctl-lr', 'change');
  await page.waitForFunction(() => window.superpose.config.lr === 0.002, null, { timeout: 10000 });
  assert.match(page.url(), /lr=0\.002/);
  noProblems(page);
  await page.close();
});

test('a preset URL reproduces its configuration, and a copied URL reproduces the experiment', async () => {
  const page = await lab.open('index.html#preset=importance&autoplay=0');
  const s = await readState(page);
  assert.deepEqual(s.notes, []);
  assert.equal(await page.inputValue('#ctl-n'), '20');
  assert.equal(await page.inputValue('#ctl-m'), '5');
  assert.equal(await page.inputValue('#ctl-decay'), '0.7');
  assert.equal(await page.inputValue('#ctl-pList'), '1,0.3,0.1,0.03,0.01,0.003');
  assert.equal(await page.locator('[data-preset="importance"]').getAttribute('aria-pressed'), 'true');
  assert.match(await page.locator('#preset-info').textContent(), /0\.7\^i/);
  assert.equal(s.config.n_features, 20);
  assert.equal(s.config.n_hidden, 5);
  assert.equal(s.config.importance_decay, 0.7);
  assert.deepEqual(s.config.feature_probability, [1, 0.3, 0.1, 0.03, 0.01, 0.003]);
  assert.equal(s.frame.buffers.W.shape.join(','), '6,5,20');
  // The grid's formula says where the p's come from: this preset's explicit list, not the range.
  const gridFormula = page.locator('#panel-grid .formula');
  assert.equal(await gridFormula.textContent(), 'p_k as listed: 1, 0.3, 0.1, 0.03, 0.01, 0.003');
  // An empty list brings back the range, and the formula follows.
  await page.fill('#ctl-pList', '');
  await page.dispatchEvent('#ctl-pList', 'change');
  await page.waitForFunction(() => window.superpose.config.feature_probability.length === window.superpose.state.k && window.superpose.state.pList.length === 0, null, { timeout: 10000 });
  assert.equal(await gridFormula.textContent(), 'p_k log-spaced from p_first to p_last');
  await page.fill('#ctl-pList', '1,0.3,0.1,0.03,0.01,0.003');
  await page.dispatchEvent('#ctl-pList', 'change');
  await page.waitForFunction(() => window.superpose.state.pList.length === 6, null, { timeout: 10000 });
  assert.equal(await gridFormula.textContent(), 'p_k as listed: 1, 0.3, 0.1, 0.03, 0.01, 0.003');
  // Change a control; the URL follows; opening that URL elsewhere gives the same experiment.
  await page.fill('#ctl-seed', '7');
  await page.dispatchEvent('#ctl-seed', 'change');
  await page.waitForFunction(() => window.superpose.config.seed === 7, null, { timeout: 10000 });
  await page.click('#step');
  await page.waitForFunction(() => window.superpose.lastFrame.step === 1, null, { timeout: 10000 });
  const a = await readState(page);
  const url = page.url();
  assert.match(url, /seed=7/);
  const rel = url.slice(lab.url.length);
  const page2 = await lab.open(rel);
  const b = await readState(page2);
  assert.deepEqual(b.state, a.state);
  assert.deepEqual(b.config, a.config);
  await page2.click('#step');
  await page2.waitForFunction(() => window.superpose.lastFrame.step === 1, null, { timeout: 10000 });
  const b1 = await readState(page2);
  assert.deepEqual(b1.frame.buffers.W.data, a.frame.buffers.W.data, 'same seed, same weights after one step');
  // Choosing a preset by clicking it applies it and starts training.
  await page2.click('[data-preset="phase"]');
  await page2.waitForFunction(() => window.superpose.config.n_features === 2 && window.superpose.config.n_hidden === 1, null, { timeout: 10000 });
  assert.match(page2.url(), /preset=phase/);
  noProblems(page);
  noProblems(page2);
  await page.close();
  await page2.close();
});

test('a malformed hash falls back to defaults with a visible note, never as HTML', async () => {
  const evil = encodeURIComponent('<img src=x onerror=alert(1)>');
  const page = await lab.open(`index.html#n=abc&${evil}=1&model=${evil}&pmin=2&m=%E0%A4%A`);
  const s = await readState(page);
  const notes = page.locator('#notes');
  await notes.waitFor({ state: 'visible', timeout: 5000 });
  const txt = await notes.textContent();
  assert.match(txt, /n=abc/);
  assert.match(txt, /<img src=x onerror=alert\(1\)>/, 'the hostile text is shown as text');
  assert.equal(await page.locator('#notes li').count(), 5);
  assert.equal(await page.locator('#notes img, #notes script').count(), 0, 'nothing from the hash became HTML');
  assert.equal(s.state.n, 5);
  assert.equal(s.state.model, 'relu');
  assert.equal(s.state.pMin, 0.05);
  assert.equal(s.config.n_features, 5);
  // The page still trains with the defaults.
  await page.waitForFunction(() => window.superpose.lastFrame.step > 0, null, { timeout: 30000 });
  // The corrected URL replaces the malformed one.
  assert.doesNotMatch(page.url(), /abc|img/);
  noProblems(page);
  await page.close();
});

test('the n=5/m=2 sparse preset ends with five arrows of similar length about 72° apart', async () => {
  const page = await lab.open('index.html#preset=pentagon');
  await page.waitForFunction(() => window.superpose.done, null, { timeout: 120000 });
  const s = await readState(page);
  const [K, m, n] = s.frame.buffers.W.shape;
  assert.deepEqual([m, n], [2, 5]);
  assert.equal(s.frame.step, s.config.steps);
  const k = s.state.sel;
  const W = s.frame.buffers.W.data.slice(k * m * n, (k + 1) * m * n); // (m, n) row-major
  const arrows = [...Array(n).keys()].map((i) => ({ x: W[i], y: W[n + i] }));
  const norms = arrows.map((a) => Math.hypot(a.x, a.y));
  const angles = arrows.map((a) => (Math.atan2(a.y, a.x) * 180) / Math.PI).sort((a, b) => a - b);
  const gaps = angles.map((a, i) => (i + 1 < n ? angles[i + 1] - a : angles[0] + 360 - a));
  console.log(`# pentagon (instance ${k} of ${K}): norms ${norms.map((x) => x.toFixed(3)).join(' ')}; gaps ${gaps.map((g) => g.toFixed(1)).join(' ')}°`);
  const mean = norms.reduce((a, b) => a + b) / n;
  assert.ok(mean > 0.5, `features are represented (mean norm ${mean})`);
  for (const x of norms) assert.ok(Math.abs(x - mean) < 0.1 * mean, `similar lengths: ${norms}`);
  for (const g of gaps) assert.ok(Math.abs(g - 72) < 8, `about 72° apart: ${gaps}`);
  // The page's own readouts agree: D_i = 2/5 for each feature.
  const D = s.frame.buffers.dimensionality.data.slice(k * n, (k + 1) * n);
  for (const d of D) assert.ok(Math.abs(d - 0.4) < 0.05, `D_i ≈ 2/5: ${D}`);
  assert.equal(await page.locator('#play').textContent(), '↻ train again');
  // Hover readouts give the numbers behind the pictures (as text).
  await page.hover('#panel-heatmap canvas', { position: { x: 30, y: 40 } });
  assert.match(await page.locator('.tooltip').textContent(), /^W_\d · W_\d = -?[\d.]+/);
  await page.hover('#panel-dims canvas', { position: { x: 60, y: 120 } });
  assert.match(await page.locator('.tooltip').textContent(), /^feature \d: D_\d = 0\.4/);
  await page.screenshot({ path: screenshotPath('pentagon.png'), fullPage: true });
  noProblems(page);
  await page.close();
});

// Issue 14 #8: a very large model ran at 0.56 steps/s with no word on how long it would take.
test('the toolbar shows the expected time of a run, and says so when a run is long', async () => {
  // Slow on purpose: 8 instances of 100 features in 50 dims on batches of 4096, for 10^6 steps.
  const page = await lab.open('index.html#n=100&m=50&k=8&batch=4096&steps=1000000&autoplay=0');
  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#speed').textContent !== '', null, { timeout: 60000 });
  const slow = await page.evaluate(() => {
    const f = window.superpose.lastFrame, el = document.querySelector('#speed');
    return { text: el.textContent, slow: el.classList.contains('slow'), sps: f.stepsPerSec, step: f.step, total: f.totalSteps };
  });
  console.log(`# slow run: "${slow.text}"`);
  assert.equal(slow.total, 1000000);
  assert.equal(slow.slow, true);
  assert.match(slow.text, /^[\d.,]+ steps\/s · a long run: about [\d.,]+ (h|h \d+ min|days) more/);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: screenshotPath('toy-slow-run-1440.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('toy-slow-run-390.png') });
  console.log(`# screenshots ${screenshotPath('toy-slow-run-1440.png')}, ${screenshotPath('toy-slow-run-390.png')}`);
  await page.click('#play');  // pause: the time is gone with the speed
  await page.waitForFunction(() => !window.superpose.lastFrame.running, null, { timeout: 30000 });
  assert.equal(await page.locator('#speed').textContent(), '');
  noProblems(page);
  await page.close();

  // A short run: the time left in seconds, not called long.
  const fast = await lab.open('index.html#preset=importance&autoplay=0&steps=50000');
  await fast.click('#play');
  await fast.waitForFunction(() => / left$/.test(document.querySelector('#speed').textContent), null, { timeout: 60000 });
  const text = await fast.locator('#speed').textContent();
  console.log(`# short run: "${text}"`);
  assert.match(text, /^[\d.,]+ steps\/s · (\d+ s|\d+ min( \d+ s)?) left$/);
  assert.equal(await fast.locator('#speed.slow').count(), 0);
  noProblems(fast);
  await fast.close();
});
