// The language-model page (web/pages/lm/lm.html, issues 15 and 16) in a real browser (Debian's
// Chromium via playwright-core, the built site).
// The seed's example as a new user meets it, on the page's defaults, in one page (the model's
// training is most of this suite's CPU, so every check of the trained page is made on it): the
// toy-world model trains (2000 steps), then its SAE (3000 steps, ReLU, 256 latents on
// blocks.0.hook_resid_post). Checked on the way: no main-thread task of the page over 50 ms of
// CPU while the model trains (the first 300 steps traced; the loading's tasks are printed: the
// HTML's first layout and the modules' evaluation took 30-70 ms of CPU at load 6.5-7 on 2
// cores), the wall times to the greedy answer "hot" and to the temperature probe passing 34/36
// (issue 15's done criterion, printed). Then on the trained page: the held-out loss fell, a
// greedy and a sampled continuation, the attention grid (L×H heads and the enlarged one), the
// logit lens (stream and table), DLA, ablations and the probe are drawn; the latent shown is the
// one best matching "cold" (predicts_cold), its precision and recall printed, its contexts and
// promoted tokens; moving the strength slider turns the next word after "the weather in
// california is" from "hot" into "cold"; the latent list opens a latent's dashboard on a click
// and re-sorts; Matryoshka retrains the SAE only; a new prompt is read by the trained model
// without retraining; the model saves as model.safetensors and loads back. Screenshots at 1440
// and 390 px (build/screenshots/).
// A second page: a text file trains a byte-level model; an empty file is refused with the
// session's message, as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { startLab, readState, screenshotPath, startTrace, heavyTasks, waitForText } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const LONGTASK_MS = Number(process.env.SUPERPOSE_LONGTASK_MS || 50);
const frameStep = (page) => page.evaluate(() => window.superpose.lastFrame.step);
const frameLatent = (page) => page.evaluate(() => window.superpose.lastFrame.buffers.latent.data[0]);

test('lm.html (the seed example): the model trains, then its SAE; the trained page draws every panel; the "cold" latent is shown; strength turns hot into cold', async () => {
  const t0 = Date.now();
  // Two traces of the main thread: loading (the HTML's first layout, module evaluation, the first
  // frame's panels: printed) and the model's first 300 steps (every frame drawn: asserted).
  let stopLoadTrace;
  const page = await lab.open('lm.html', { waitReady: false, before: async (p) => { stopLoadTrace = await startTrace(p, lab.url); } });
  assert.equal(await page.title(), 'Superpose · language model');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0 && document.querySelectorAll('#probe-grid .probe-cell').length === 36,
    null, { timeout: 120000, polling: 200 });
  const loading = heavyTasks(await stopLoadTrace()).heavy;
  console.log(`# lm.html loading (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores): main-thread tasks over 20 ms of CPU: ${JSON.stringify(loading)}`);
  const stopTrace = await startTrace(page, lab.url);
  await page.waitForFunction(() => window.superpose.lastFrame.step >= 300, null, { timeout: 240000, polling: 500 });
  const tasks = await stopTrace();
  const { heavy } = heavyTasks(tasks);
  console.log(`# lm.html, the first 300 steps (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores): ${tasks.length} main-thread tasks, over 20 ms of CPU: ${JSON.stringify(heavy)}`);
  assert.ok(tasks.length > 50, `the trace holds the page's main thread (${tasks.length} tasks)`);
  assert.ok(heavy.every((t) => t.cpu <= LONGTASK_MS), `a main-thread task over ${LONGTASK_MS} ms of CPU: ${JSON.stringify(heavy)}`);

  await page.waitForFunction(() => window.superpose.lastFrame.step >= 2000, null, { timeout: 900000, polling: 1000 });
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
  assert.equal(c.n_params, 106432, 'the issue\'s reference model');

  // The model: the held-out loss from ln 75 ≈ 4.3 at step 0 to below 1.6 (as
  // tests/unit/test_lm_trained.cpp bounds it natively; the toy world's entropy floor is 1.07).
  const held = b.history_eval_loss.data;
  assert.deepEqual(b.history_step.data.slice(0, 2), [0, 50]);
  assert.equal(b.history_step.data.at(-1), 2000);
  assert.ok(held[0] > 4 && held.at(-1) < 1.6, `held-out loss ${held[0]} → ${held.at(-1)}`);
  await waitForText(page, '#loss', /^\d\.\d{3} nats\/token$/);
  // The prompt's 5 words as chips, the next token's top 5 as bars, two continuations.
  assert.equal(await page.locator('#chips .chip').count(), 5);
  assert.equal(await page.locator('#next-bars .bar-row').count(), 5);
  const greedy = await page.locator('#greedy').textContent();
  const sampled = await page.locator('#sampled').textContent();
  assert.equal(greedy.split(' ').length, 12, `greedy: ${greedy}`);
  assert.equal(sampled.split(' ').length, 12, `sampled: ${sampled}`);
  const top = c.vocab[b.next_token_top.data[0]];
  assert.equal(await page.locator('#next-bars .bar-label').first().textContent(), top);
  // Attention: 2 layers × 4 heads, drawn, and the enlarged head; the logit lens: 5 points.
  assert.deepEqual(b.attention.shape, [2, 4, 5, 5]);
  assert.equal(await page.locator('#attention-grid canvas').count(), 8);
  assert.equal(await page.locator('#attention-big canvas').count(), 1);
  const inked = await page.evaluate(() => [...document.querySelectorAll('#attention-grid canvas, #attention-big canvas')].map((cv) => {
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] < 120) red++;
    return red;
  }));
  assert.ok(inked.every((n) => n > 0), `every attention canvas has red cells: ${inked}`);
  await page.locator('#attention-grid .tile').nth(5).click();
  assert.match(await page.locator('#attention-title').textContent(), /^layer 1, head 1( \(|$)/);
  assert.equal(await page.locator('#stream .stream-point').count(), 5);
  assert.match(await page.locator('#stream .stream-point .point-top').last().textContent(), new RegExp(`“${top}”`));
  assert.equal(await page.locator('#lens-table tbody td').count(), 5 * 5);
  assert.equal(await page.locator('#dla-bars .bar-row').count(), c.dla_components.length);
  assert.equal(await page.locator('#abl-loss .bar-row').count(), 2 * (4 + 1));
  assert.match(await page.locator('#probe-score').textContent(), /^\d+ \/ 36 right/);
  assert.equal(await page.locator('#probe-grid .probe-cell').count(), 36);

  // The SAE: the latent shown matches cold. P and R on the page's 256 held-out windows, the
  // latent firing above 0.2 of its max: the bar (the native session measures P 1.00,
  // R 0.86 for the default seed; the C++ slow test bounds them over seeds).
  assert.equal(c.labels[label], 'predicts_cold', 'the latent shown matches cold');
  assert.ok(p >= 0.8 && r >= 0.8, `precision ${p}, recall ${r}`);
  await waitForText(page, '#dashboard-title', /= predicts_cold$/);
  assert.ok(fve > 0.8, `FVE ${fve}`);
  assert.equal(b.latent_list.shape[0], 256);
  await page.waitForFunction(() => document.querySelectorAll('#latent-list .latent-item').length === 256, null, { timeout: 20000 });
  await waitForText(page, '#sae-metrics', /SAE step 3000 \/ 3000: L0 [\d.]+, FVE [\d.-]+, dead [\d.]+%, CE loss score [\d.-]+, KL/);
  assert.ok(await page.locator('#top-contexts .context-row').count() > 0);
  assert.equal(await page.locator('#promoted .bar-row').count(), 8);
  // Before steering: hot; the slider at 8: cold.
  const before = b.steer_probs_before.data;
  assert.ok(before[id('hot')] > 0.5, `P(hot) ${before[id('hot')]}`);
  assert.equal(c.vocab[b.steer_top_after.data[0]], 'hot', 'strength 0 changes nothing');
  await page.locator('#strength').fill('8');
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.steer_probs_after && window.superpose.state.strength === 8 &&
    window.superpose.lastFrame.buffers.steer_probs_after.data[window.superpose.config.vocab.indexOf('cold')] > 0.5, null, { timeout: 60000, polling: 200 });
  const steered = (await readState(page)).frame.buffers.steer_probs_after.data;
  console.log(`# strength 8: P(hot) ${before[id('hot')].toFixed(3)} → ${steered[id('hot')].toFixed(3)}, P(cold) ${before[id('cold')].toFixed(3)} → ${steered[id('cold')].toFixed(3)}`);
  await page.waitForFunction(() => document.querySelector('#steer-after .bar-label') && document.querySelector('#steer-after .bar-label').textContent === 'cold', null, { timeout: 20000 });
  assert.equal(await frameLatent(page), b.latent.data[0]);
  for (const [width, name] of [[1440, 'lm-1440.png'], [390, 'lm-390.png']]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${width} px: the page is ${overflow} px wider than the window`);
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    console.log(`# screenshot ${screenshotPath(name)}`);
  }
  await page.setViewportSize({ width: 1400, height: 1000 });

  // Click the list's 5th latent: its dashboard, the model and SAE kept.
  const item = page.locator('#latent-list .latent-item').nth(4);
  const want = Number(await item.getAttribute('data-latent'));
  await item.click();
  await page.waitForFunction((w) => window.superpose.lastFrame.buffers.latent.data[0] === w, want, { timeout: 60000 });
  await page.waitForFunction((w) => document.getElementById('dashboard-title').textContent.startsWith(`Latent ${w}`), want, { timeout: 20000 });
  assert.equal(await frameStep(page), 5000, 'a view change keeps the model and the SAE');
  assert.match(page.url(), new RegExp(`latent=${want}`));
  // The architecture menu is the schema's sae_arch choices (all of the sae page's).
  const schema = await page.evaluate(async () => (await fetch('lib/schema.json')).json());
  const archs = schema.lm.fields.find((f) => f.name === 'sae_arch').choices;
  assert.ok(archs.includes('matryoshka'), archs.join(','));
  assert.deepEqual(await page.locator('#arch option').evaluateAll((os) => os.map((o) => o.value)), archs);
  // The order and the architecture changed in one task (the second while the first's configure
  // waits for the worker: lm.js once took that SAE as configured and never trained it): the
  // Matryoshka SAE retrains, the model is kept, and the list is in the new order.
  await page.evaluate(() => {
    for (const [id, value] of [['order', 'frequency'], ['arch', 'matryoshka']]) {
      const el = document.getElementById(id);
      el.value = value;
      el.dispatchEvent(new Event('change'));
    }
  });
  await page.waitForFunction(() => window.superpose.config.sae_arch === 'matryoshka' && window.superpose.done
    && window.superpose.lastFrame.step === 5000, null, { timeout: 300000, polling: 500 }).catch(async (e) => {
    const seen = await page.evaluate(() => ({ arch: window.superpose.config.sae_arch, done: window.superpose.done,
      running: window.superpose.running, step: window.superpose.lastFrame.step, errors: window.superpose.errors, hash: location.hash }));
    throw new Error(`${e.message}; the page: ${JSON.stringify(seen)}`);
  });
  assert.match(page.url(), /arch=matryoshka/);
  assert.equal(await page.evaluate(() => window.superpose.config.latent_order), 'frequency');
  const list = (await readState(page)).frame.buffers.latent_list.data;
  assert.ok(list[1] >= list[7] && list[7] >= list[13], `by frequency: ${list.slice(0, 18)}`);
  await waitForText(page, '#sae-metrics', /SAE step 3000 \/ 3000: L0 [\d.]+, FVE [\d.-]+/);
  assert.deepEqual((await readState(page)).frame.buffers.history_eval_loss.data, held, 'the same trained model');

  // A new prompt: the trained model reads it (no retraining: the step stays).
  await page.fill('#prompt', 'in winter the weather in oslo is');
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.prompt_tokens.shape[0] === 7, null, { timeout: 30000 });
  assert.equal(await frameStep(page), 5000);
  assert.equal(await page.locator('#chips .chip').count(), 7);
  assert.match(page.url(), /prompt=in%20winter%20the%20weather%20in%20oslo%20is/);
  const after = await readState(page);
  assert.equal(after.config.prompt, 'in winter the weather in oslo is');
  assert.deepEqual(after.frame.buffers.history_eval_loss.data, held, 'the same trained model');
  // A word the toy world does not have: the session's message, as text; the model stays.
  await page.fill('#prompt', 'the weather in narnia is');
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 30000 });
  assert.match(await page.locator('#error').textContent(), /unknown word "narnia"/);
  // A typo: the message names the word it most likely meant.
  await page.fill('#prompt', 'the weather in califonia is');
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => /califonia/.test(document.getElementById('error').textContent), null, { timeout: 30000 });
  assert.match(await page.locator('#error').textContent(), /unknown word "califonia" \(word 4\): .* \(did you mean "california"\?\)$/);
  await page.fill('#prompt', 'the weather in egypt is');
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => window.superpose.config.prompt === 'the weather in egypt is' && document.getElementById('error').hidden, null, { timeout: 30000 });
  assert.equal(await frameStep(page), 5000);

  // Save the model (model.safetensors) and load it back: a new run at step 0 with the same weights
  // reads the same prompt to the same distribution.
  const probs = await page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.next_token_probs.data));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
  assert.equal(download.suggestedFilename(), 'model.safetensors');
  const bytes = fs.readFileSync(await download.path());
  assert.ok(bytes.length > 4 * 106432, `${bytes.length} bytes`);
  await page.setInputFiles('#load-model-file', { name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForFunction(() => window.superpose.lastFrame.step === 0 && /^Loaded/.test(document.getElementById('model-info').textContent), null, { timeout: 60000 });
  const loaded = await readState(page);
  assert.equal(loaded.config.prompt, 'the weather in egypt is');
  assert.deepEqual(loaded.frame.buffers.next_token_probs.data, probs, 'the same weights');
  assert.equal(loaded.errors.length, 2, 'no error but the two unknown words\'');
  noProblems(page);
  await page.close();
});

test('lm.html: an empty file is refused as text; a text file trains a byte-level model', async () => {
  const page = await lab.open('lm.html#steps=60&sae=0');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 120000 });
  await page.setInputFiles('#text-file', { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await page.waitForFunction(() => !document.getElementById('error').hidden, null, { timeout: 30000 });
  const message = await page.locator('#error').textContent();
  assert.match(message, /^empty\.txt: .*empty/, message);
  assert.equal(await page.locator('#error *').count(), 0, 'the message is text');
  assert.equal((await readState(page)).config.data, 'toy', 'the toy model stays');
  // ~40 kB of English: a byte model (256 tokens) trains on it.
  const line = 'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of foolishness. ';
  const text = line.repeat(Math.ceil(40000 / line.length));
  await page.setInputFiles('#text-file', { name: 'dickens.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(() => window.superpose.config.data === 'text' && window.superpose.done, null, { timeout: 180000 });
  const s = await readState(page);
  assert.equal(s.config.tokenizer, 'byte');
  assert.equal(s.config.vocab_size, 256);
  assert.equal(s.config.prompt, 'It was the best of times, it was the');
  assert.equal(s.frame.buffers.probe_score, undefined, 'no temperature probe on text');
  assert.equal(await page.locator('#probe-panel').isHidden(), true);
  assert.equal(await page.locator('#preset').inputValue(), 'text');
  const held = s.frame.buffers.history_eval_loss.data;
  assert.ok(held.at(-1) < held[0] - 1, `held-out loss ${held[0]} → ${held.at(-1)}`);
  assert.equal(await page.locator('#error').isHidden(), true);
  assert.match(await page.locator('#model-info').textContent(), /bytes of dickens\.txt/);
  noProblems(page);
  await page.close();
});
