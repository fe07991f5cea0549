// The language-model page (web/pages/lm/lm.html) in a real browser (Debian's Chromium via
// playwright-core, the built site). Checks what issue 15 asks of the page: it trains the toy-world
// model (a short run, `#steps=300`, to keep CI time low: the default is 2000 steps), the held-out
// loss falls, a greedy and a sampled continuation are shown, the attention grid (L×H heads and the
// enlarged one) and the logit lens (stream and table) are drawn, and no main-thread task of the
// page takes over 50 ms of CPU while it trains (the loading's tasks are printed: the HTML's first
// layout and the modules' evaluation took 30-70 ms of CPU at load 6.5-7 on 2 cores); a new prompt is read by the trained model without
// retraining (the step stays); a text file trains a byte-level model; an empty file is refused
// with the session's message, as text. Screenshots at 1440 and 390 px (build/screenshots/).
// The wall time from opening the default page to the greedy answer "hot" and the temperature
// probe passing 34/36 (issue 15's done criterion) is printed by lm-sae.test.mjs's seed example,
// which trains that default model anyway.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import { startLab, readState, screenshotPath, startTrace, heavyTasks } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const LONGTASK_MS = Number(process.env.SUPERPOSE_LONGTASK_MS || 50);
const frameStep = (page) => page.evaluate(() => window.superpose.lastFrame.step);

test('lm.html#steps=300: trains, the loss falls, samples, attention and the logit lens are drawn; a new prompt keeps the model', async () => {
  const page = await lab.context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  // Two traces of the main thread: loading (the HTML's first layout, module evaluation, the first
  // frame's panels: printed) and training (every frame drawn: asserted).
  const stopLoadTrace = await startTrace(page, lab.url);
  await page.goto(`${lab.url}lm.html#steps=300&sae=0`);
  assert.equal(await page.title(), 'Superpose · language model');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0 && document.querySelectorAll('#probe-grid .probe-cell').length === 36,
    null, { timeout: 120000, polling: 200 });
  const loading = heavyTasks(await stopLoadTrace()).heavy;
  console.log(`# lm.html loading (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores): main-thread tasks over 20 ms of CPU: ${JSON.stringify(loading)}`);
  const stopTrace = await startTrace(page, lab.url);
  await page.waitForFunction(() => window.superpose.done, null, { timeout: 240000, polling: 500 });
  const tasks = await stopTrace();
  const s = await readState(page);
  assert.equal(s.config.steps, 300);
  assert.equal(s.config.n_params, 106432, 'the issue\'s reference model');
  const b = s.frame.buffers;
  // The loss: held-out from ln 75 ≈ 4.3 at step 0 to well below 2.5 at the end.
  const held = b.history_eval_loss.data;
  assert.deepEqual(b.history_step.data.slice(0, 2), [0, 50]);
  assert.equal(b.history_step.data.at(-1), 300);
  assert.ok(held[0] > 4 && held.at(-1) < 2.5, `held-out loss ${held[0]} → ${held.at(-1)}`);
  assert.match(await page.locator('#loss').textContent(), /^\d\.\d{3} nats\/token$/);
  // The prompt's 5 words as chips, the next token's top 5 as bars, two continuations.
  assert.equal(await page.locator('#chips .chip').count(), 5);
  assert.equal(await page.locator('#next-bars .bar-row').count(), 5);
  const greedy = await page.locator('#greedy').textContent();
  const sampled = await page.locator('#sampled').textContent();
  assert.equal(greedy.split(' ').length, 12, `greedy: ${greedy}`);
  assert.ok(sampled.split(' ').length === 12, `sampled: ${sampled}`);
  const top = s.config.vocab[b.next_token_top.data[0]];
  assert.equal(await page.locator('#next-bars .bar-label').first().textContent(), top);
  // Attention: 2 layers × 4 heads, drawn, and the enlarged head; the logit lens: 5 points.
  assert.deepEqual(b.attention.shape, [2, 4, 5, 5]);
  assert.equal(await page.locator('#attention-grid canvas').count(), 8);
  assert.equal(await page.locator('#attention-big canvas').count(), 1);
  const inked = await page.evaluate(() => [...document.querySelectorAll('#attention-grid canvas, #attention-big canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
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
  assert.equal(await page.locator('#dla-bars .bar-row').count(), s.config.dla_components.length);
  assert.equal(await page.locator('#abl-loss .bar-row').count(), 2 * (4 + 1));
  assert.match(await page.locator('#probe-score').textContent(), /^\d+ \/ 36 right/);
  assert.equal(await page.locator('#probe-grid .probe-cell').count(), 36);
  // The main thread while training: no task of the page over LONGTASK_MS of CPU.
  const { heavy } = heavyTasks(tasks);
  console.log(`# lm.html#steps=300 (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores): ${tasks.length} main-thread tasks, over 20 ms of CPU: ${JSON.stringify(heavy)}`);
  assert.ok(tasks.length > 50, `the trace holds the page's main thread (${tasks.length} tasks)`);
  assert.ok(heavy.every((t) => t.cpu <= LONGTASK_MS), `a main-thread task over ${LONGTASK_MS} ms of CPU: ${JSON.stringify(heavy)}`);

  for (const [width, name] of [[1440, 'lm-1440.png'], [390, 'lm-390.png']]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${width} px: the page is ${overflow} px wider than the window`);
    await page.screenshot({ path: screenshotPath(name), fullPage: true });
    console.log(`# screenshot ${screenshotPath(name)}`);
  }
  await page.setViewportSize({ width: 1400, height: 1000 });

  // A new prompt: the trained model reads it (no retraining: the step stays at 300).
  await page.fill('#prompt', 'in winter the weather in oslo is');
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => window.superpose.lastFrame.buffers.prompt_tokens.shape[0] === 7, null, { timeout: 30000 });
  assert.equal(await frameStep(page), 300);
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
  await page.fill('#prompt', 'the weather in egypt is');
  await page.locator('#prompt').press('Enter');
  await page.waitForFunction(() => window.superpose.config.prompt === 'the weather in egypt is' && document.getElementById('error').hidden, null, { timeout: 30000 });
  assert.equal(await frameStep(page), 300);

  // Save the model (model.safetensors) and load it back: a new run at step 0 with the same weights
  // reads the same prompt to the same distribution.
  const before = await page.evaluate(() => Array.from(window.superpose.lastFrame.buffers.next_token_probs.data));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-model')]);
  assert.equal(download.suggestedFilename(), 'model.safetensors');
  const bytes = fs.readFileSync(await download.path());
  assert.ok(bytes.length > 4 * 106432, `${bytes.length} bytes`);
  await page.setInputFiles('#load-model-file', { name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
  await page.waitForFunction(() => window.superpose.lastFrame.step === 0 && /^Loaded/.test(document.getElementById('model-info').textContent), null, { timeout: 60000 });
  const loaded = await readState(page);
  assert.equal(loaded.config.prompt, 'the weather in egypt is');
  assert.deepEqual(loaded.frame.buffers.next_token_probs.data, before, 'the same weights');
  assert.equal(loaded.errors.length, 1, 'no error but the unknown word\'s');
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
