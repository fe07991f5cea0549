// The embed page (web/pages/embed/embed.html) in a real browser: configured from its URL, compact, with the
// controls hideable; it trains on its own and shows only the panels asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState, screenshotPath } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);

test('embed.html shows the experiment of its URL with the panels asked for, controls hidden', async () => {
  const page = await lab.open('embed.html#preset=pentagon&controls=0&views=arrows,loss');
  await page.setViewportSize({ width: 640, height: 420 });
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 500, null, { timeout: 60000 });
  const s = await readState(page);
  assert.equal(s.config.n_features, 5);
  assert.equal(s.config.n_hidden, 2);
  assert.equal(await page.locator('.bar').isHidden(), true);
  const ids = await page.locator('.panel').evaluateAll((els) => els.map((e) => e.id));
  assert.deepEqual(ids, ['panel-arrows', 'panel-loss']);
  await page.screenshot({ path: screenshotPath('embed.png') });
  noProblems(page);
  await page.close();
});

test('embed.html with controls: play/pause work and the link opens the same experiment in the lab', async () => {
  const page = await lab.open('embed.html#preset=neurons&autoplay=0');
  assert.equal(await page.locator('.bar').isVisible(), true);
  const ids = await page.locator('.panel').evaluateAll((els) => els.map((e) => e.id));
  assert.deepEqual(ids, ['panel-grid', 'panel-neurons', 'panel-loss']);
  await page.click('#play');
  await page.waitForFunction(() => window.superpose.lastFrame.step > 0, null, { timeout: 30000 });
  await page.click('#play');
  await page.waitForFunction(() => !window.superpose.lastFrame.running, null, { timeout: 10000 });
  const href = await page.locator('#open-lab').getAttribute('href');
  assert.match(href, /^index\.html#preset=neurons&/);
  noProblems(page);
  await page.close();
});

test('the <superpose-lab> element embeds the same experiment from its attributes', async () => {
  const page = await lab.open('index.html#autoplay=0');
  await page.evaluate(async () => {
    await import('./superpose-lab.js');
    const e = document.createElement('superpose-lab');
    e.setAttribute('preset', 'pentagon');
    e.setAttribute('views', 'arrows');
    e.setAttribute('controls', '0');
    e.setAttribute('height', '300');
    document.body.prepend(e);
  });
  const frame = page.frameLocator('superpose-lab iframe');
  await frame.locator('#panel-arrows').waitFor({ timeout: 30000 });
  const inner = page.frames().find((f) => f.url().includes('embed.html'));
  assert.ok(inner, 'the iframe loads embed.html');
  assert.match(inner.url(), /#preset=pentagon&/);
  await inner.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 30000 });
  assert.equal((await inner.evaluate(() => window.superpose.config.n_features)), 5);
  noProblems(page);
  await page.close();
});
