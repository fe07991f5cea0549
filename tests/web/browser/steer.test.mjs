// The steer & ablate page (web/pages/steer/steer.html, issue 6) in a real browser: it trains the "steer"
// session, steering along a latent's direction raises the output feature it matched, the slider
// updates the outputs without retraining, the URL keeps the state, the effects heatmap is more
// diagonal for SAE latents than for hidden units, and nothing logs an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, screenshotPath } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const outputs = (page) => page.evaluate(() => {
  const f = window.superpose.lastFrame;
  return { before: Array.from(f.buffers.before.data), after: Array.from(f.buffers.after.data),
    matched: Array.from(f.buffers.matched_feature.data), strength: window.superpose.config.strength,
    diagonality: f.buffers.diagonality.data[0], rows: f.buffers.effects.shape[0] };
});

test('steering along a latent raises the output feature it matched; the slider updates it', async () => {
  // The default SAE is trained (TopK, 2n latents), so some latents may be dead (largest
  // activation 0: steering along them adds nothing). Find the most active latent of this seed's
  // SAE first, then steer along it from a link.
  const probe = await lab.open('steer.html#strength=1.5');
  await probe.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
  const maxAct = await probe.evaluate(() => Array.from(window.superpose.lastFrame.buffers.max_activation.data));
  await probe.close();
  const latent = maxAct.indexOf(Math.max(...maxAct));
  assert.ok(maxAct[latent] > 0, `some latent must fire (max activations ${maxAct})`);
  const page = await lab.open(`steer.html#direction=latent:${latent}&strength=1.5`);
  await page.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
  await page.waitForFunction(() => window.superpose.config.strength === 1.5, null, { timeout: 10000 });
  const o = await outputs(page);
  const k = o.matched[latent];
  assert.ok(k >= 0 && k < 5, `latent ${latent} should match a feature (matched ${o.matched})`);
  assert.ok(o.after[k] > o.before[k] + 0.5, `after ${o.after} before ${o.before}`);
  assert.equal(o.after.indexOf(Math.max(...o.after)), k);
  assert.match(await page.locator('#switched').textContent(), new RegExp(`switched on: feature .*${k}`));
  assert.equal(await page.locator('#bars .row').count(), 5);
  // Slider to 0: nothing changes; the URL follows.
  await page.locator('#strength').fill('0');
  await page.waitForFunction(() => window.superpose.config.strength === 0 && window.superpose.lastFrame.buffers.after, null, { timeout: 10000 });
  await page.waitForFunction(() => {
    const b = window.superpose.lastFrame.buffers;
    return b.after.data.every((v, i) => v === b.before.data[i]);
  }, null, { timeout: 10000 });
  assert.match(page.url(), /strength=0(&|$)/);
  assert.match(page.url(), new RegExp(`direction=latent:${latent}`));
  await page.screenshot({ path: screenshotPath('steer.png'), fullPage: true });
  noProblems(page);
  await page.close();
});

test('the effects heatmap: SAE latents are more diagonal than hidden units', async () => {
  const page = await lab.open('steer.html#mode=mean');
  await page.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
  const lat = await outputs(page);
  assert.equal(lat.rows, 10);  // the default SAE's 2n latents
  assert.equal(await page.locator('#effects tr').count(), 11);
  await page.selectOption('#target', 'unit');
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.effects.shape[0] === 2, null, { timeout: 10000 });
  const unit = await outputs(page);
  assert.ok(lat.diagonality > unit.diagonality + 0.3, `latents ${lat.diagonality}, units ${unit.diagonality}`);
  assert.match(page.url(), /target=unit/);
  noProblems(page);
  await page.close();
});
