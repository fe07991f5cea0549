// The lm page's SAE panels (issue 16) in a real browser (Debian's Chromium via playwright-core,
// the built site). The seed's example as a new user meets it, on the page's defaults: the model
// trains (2000 steps), then the SAE (3000 steps, ReLU, 256 latents on blocks.0.hook_resid_post);
// the latent shown is the one best matching "cold" (predicts_cold), its precision and recall printed,
// its contexts and its promoted tokens; moving the strength slider turns the next word after "the
// weather in california is" from "hot" into "cold". Prints the wall times (model done, SAE done)
// and the load. Screenshots at 1440 and 390 px (build/screenshots/). A short first case
// (#steps=200&sae=200) checks that every panel draws, a latent click opens its dashboard, the
// order menu re-sorts, and nothing throws.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startLab, readState, screenshotPath, waitForText } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

async function open(hash) {
  const page = await lab.context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  await page.goto(`${lab.url}lm.html${hash}`);
  return page;
}
const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const frameLatent = (page) => page.evaluate(() => window.superpose.lastFrame.buffers.latent.data[0]);

test('lm.html#steps=200&sae=200: the SAE panels draw; a latent click opens its dashboard; the order re-sorts', async () => {
  const page = await open('#steps=200&sae=200');
  await page.waitForFunction(() => window.superpose.done && window.superpose.lastFrame.buffers.latent_list, null, { timeout: 300000, polling: 500 });
  const s = await readState(page);
  assert.equal(s.frame.step, 400);
  const b = s.frame.buffers;
  assert.equal(b.latent_list.shape[0], 256);
  await page.waitForFunction(() => document.querySelectorAll('#latent-list .latent-item').length === 256, null, { timeout: 20000 });
  await waitForText(page, '#sae-metrics', /SAE step 200 \/ 200: L0 [\d.]+, FVE [\d.-]+, dead [\d.]+%, CE loss score [\d.-]+, KL/);
  assert.ok(await page.locator('#top-contexts .context-row').count() > 0);
  assert.equal(await page.locator('#promoted .bar-row').count(), 8);
  // click the list's 5th latent: its dashboard, the model and SAE kept
  const item = page.locator('#latent-list .latent-item').nth(4);
  const want = Number(await item.getAttribute('data-latent'));
  await item.click();
  await page.waitForFunction((w) => window.superpose.lastFrame.buffers.latent.data[0] === w, want, { timeout: 60000 });
  await page.waitForFunction((w) => document.getElementById('dashboard-title').textContent.startsWith(`Latent ${w}`), want, { timeout: 20000 });
  assert.equal((await readState(page)).frame.step, 400, 'a view change keeps the model and the SAE');
  assert.match(page.url(), new RegExp(`latent=${want}`));
  await page.locator('#order').selectOption('frequency');
  await page.waitForFunction(() => {
    const l = window.superpose.lastFrame.buffers.latent_list.data;
    return l[1] >= l[7] && l[7] >= l[13];
  }, null, { timeout: 60000 });
  // The architecture menu is the schema's sae_arch choices (all of the sae page's); Matryoshka
  // retrains the SAE only, with the model kept.
  const schema = await page.evaluate(async () => (await fetch('lib/schema.json')).json());
  const archs = schema.lm.fields.find((f) => f.name === 'sae_arch').choices;
  assert.ok(archs.includes('matryoshka'), archs.join(','));
  assert.deepEqual(await page.locator('#arch option').evaluateAll((os) => os.map((o) => o.value)), archs);
  await page.locator('#arch').selectOption('matryoshka');
  await page.waitForFunction(() => window.superpose.config.sae_arch === 'matryoshka' && window.superpose.done
    && window.superpose.lastFrame.step === 400, null, { timeout: 120000, polling: 500 });
  assert.match(page.url(), /arch=matryoshka/);
  await waitForText(page, '#sae-metrics', /SAE step 200 \/ 200: L0 [\d.]+, FVE [\d.-]+/);
  noProblems(page);
  await page.close();
});

test('lm.html (the seed example): model, then SAE; the "cold" latent is shown; strength turns hot into cold', async () => {
  const t0 = Date.now();
  const page = await open('');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step >= 2000, null, { timeout: 900000, polling: 1000 });
  const tModel = (Date.now() - t0) / 1000;
  // Issue 15's done criterion on the default page, printed: the wall time from navigation to the
  // greedy answer "hot" and to the temperature probe passing (the page's own clock, S.reached).
  await page.waitForFunction(() => window.superpose.reached.hot !== null && window.superpose.reached.probe !== null, null, { timeout: 120000, polling: 500 });
  const reached = await page.evaluate(() => window.superpose.reached);
  console.log(`# lm.html default: greedy "hot" at ${(reached.hot / 1000).toFixed(1)} s, probe ≥ 34/36 at ${(reached.probe / 1000).toFixed(1)} s after navigation`);
  await page.waitForFunction(() => window.superpose.done && window.superpose.lastFrame.buffers.latent_stats, null, { timeout: 900000, polling: 1000 });
  const tSae = (Date.now() - t0) / 1000;
  const s = await readState(page);
  const b = s.frame.buffers;
  const c = s.config;
  const id = (w) => c.vocab.indexOf(w);
  const [l0, fve, dead] = b.sae_metrics.data;
  const [score, kl] = b.sae_splice.data;
  const [freq, max, , label, p, r] = b.latent_stats.data;
  console.log(`# seed example (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores): model done ${tModel.toFixed(0)} s, SAE done ${tSae.toFixed(0)} s; ` +
    `SAE L0 ${l0.toFixed(1)} FVE ${fve.toFixed(3)} dead ${dead.toFixed(3)} CE loss score ${score.toFixed(3)} KL ${kl.toFixed(4)}; ` +
    `latent ${b.latent.data[0]} = ${c.labels[label]} P ${p.toFixed(2)} R ${r.toFixed(2)} freq ${freq.toFixed(4)} max ${max.toFixed(2)}`);
  assert.equal(s.frame.step, 5000);
  // the trained model's held-out loss, as tests/unit/test_lm_trained.cpp bounds it natively
  // (ln 75 = 4.32 untrained; the toy world's entropy floor is 1.07)
  const held = b.history_eval_loss.data;
  assert.ok(held[held.length - 1] < 1.6, `held-out loss ${held[held.length - 1]}`);
  assert.equal(c.labels[label], 'predicts_cold', 'the latent shown matches cold');
  // P and R on the page's 256 held-out windows, the latent firing above 0.2 of its max: the
  // issue's bar (the native session measures P 1.00, R 0.86 for the default seed; the C++ slow
  // test bounds them over seeds).
  assert.ok(p >= 0.8 && r >= 0.8, `precision ${p}, recall ${r}`);
  await waitForText(page, '#dashboard-title', /= predicts_cold$/);
  assert.ok(fve > 0.8, `FVE ${fve}`);
  // before steering: hot; the slider at 8: cold
  const before = b.steer_probs_before.data;
  assert.ok(before[id('hot')] > 0.5, `P(hot) ${before[id('hot')]}`);
  assert.equal(c.vocab[b.steer_top_after.data[0]], 'hot', 'strength 0 changes nothing');
  await page.locator('#strength').fill('8');
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.steer_probs_after && window.superpose.state.strength === 8 &&
    window.superpose.lastFrame.buffers.steer_probs_after.data[window.superpose.config.vocab.indexOf('cold')] > 0.5, null, { timeout: 60000, polling: 200 });
  const after = (await readState(page)).frame.buffers.steer_probs_after.data;
  console.log(`# strength 8: P(hot) ${before[id('hot')].toFixed(3)} → ${after[id('hot')].toFixed(3)}, P(cold) ${before[id('cold')].toFixed(3)} → ${after[id('cold')].toFixed(3)}`);
  await page.waitForFunction(() => document.querySelector('#steer-after .bar-label') && document.querySelector('#steer-after .bar-label').textContent === 'cold', null, { timeout: 20000 });
  assert.equal(await frameLatent(page), b.latent.data[0]);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.locator('#dashboard-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('lm-sae-1440.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotPath('lm-sae-390.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow} px wider than a 390 px phone`);
  noProblems(page);
  await page.close();
});
