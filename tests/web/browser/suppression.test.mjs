// The feature-suppression page (web/pages/suppression/suppression.html) in a real browser (Debian's Chromium via
// playwright-core, the built site). Checks what issue 4 asks: no console errors, the trained
// point lands near 1 − c/2, moving the c slider retrains and the point follows, the fixes decode
// ~1, the state lives in the URL hash, and a malformed hash falls back with a note.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState, screenshotPath } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const trainedFor = (page, c) => page.waitForFunction((want) => {
  const S = window.superpose;
  return S.config && Math.abs(S.config.l1 - want) < 1e-9 && S.lastFrame && S.lastFrame.done;
}, c, { timeout: 90000 });

test('the suppression page trains at once: the trained point is 1 − c/2, the fixes decode 1', async () => {
  const page = await lab.open('suppression.html');
  assert.equal(await page.title(), 'Superpose · feature suppression');
  await trainedFor(page, 0.4);
  const s = await readState(page);
  const b = s.frame.buffers;
  assert.ok(Math.abs(b.analytic_activation.data[0] - 0.8) < 1e-6);
  assert.ok(Math.abs(b.trained_activation.data[0] - 0.8) < 0.01, `trained ${b.trained_activation.data[0]}`);
  assert.ok(Math.abs(b.effective_activation.data[1] - 1) < 0.05, `scale ${b.effective_activation.data[1]}`);
  assert.ok(Math.abs(b.effective_activation.data[2] - 1) < 0.05, `gated ${b.effective_activation.data[2]}`);
  // the sweep's trained points sit on the analytic curve
  const sw = b.sweep.data;
  for (let i = 0; i < b.sweep.shape[0]; i++) assert.ok(Math.abs(sw[3 * i + 1] - sw[3 * i + 2]) < 0.02, `sweep c=${sw[3 * i]}: ${sw[3 * i + 1]} vs ${sw[3 * i + 2]}`);
  // the readouts and formulas are on the page, as text
  assert.equal(await page.locator('#row-none td').first().textContent(), b.trained_activation.data[0].toFixed(3));
  assert.match(await page.locator('#formula-a').textContent(), /a = 1 − c·n\/2/);
  assert.equal(await page.locator('.panel .formula').count() >= 5, true);
  assert.equal(await page.locator('#error').isHidden(), true);
  assert.equal(await page.locator('canvas').count(), 4);
  await page.screenshot({ path: screenshotPath('suppression.png'), fullPage: true });
  console.log(`# screenshot ${screenshotPath('suppression.png')}`);
  noProblems(page);
  await page.close();
});

test('moving the c slider retrains, the trained point ends near 1 − c/2, and the hash follows', async () => {
  const page = await lab.open('suppression.html');
  await trainedFor(page, 0.4);
  for (const c of [1.2, 0.7]) {
    await page.locator('#c').fill(String(c));  // a range input: sets the value and fires input
    await trainedFor(page, c);
    const s = await readState(page);
    const a = s.frame.buffers.trained_activation.data[0];
    assert.ok(Math.abs(a - (1 - c / 2)) < 0.01, `c=${c}: trained ${a}, want ${1 - c / 2}`);
    assert.equal(s.state.c, c);
    assert.match(page.url(), new RegExp(`#.*c=${c}`));
    assert.equal(await page.locator('#c-value').textContent(), c.toFixed(2));
  }
  noProblems(page);
  await page.close();
});

test('a link reproduces its experiment; a malformed hash falls back with a note', async () => {
  let page = await lab.open('suppression.html#c=2.2&p=0.3&mag=uniform&seed=5');
  await trainedFor(page, 2.2);
  let s = await readState(page);
  assert.deepEqual([s.config.l1, s.config.feature_probability, s.config.magnitude, s.config.seed], [2.2, 0.3, 'uniform', 5]);
  assert.equal(s.frame.buffers.trained_activation.data[0], 0, 'c ≥ 2 suppresses the feature entirely');
  assert.equal(await page.locator('#mag').inputValue(), 'uniform');
  assert.equal(await page.locator('#notes').isHidden(), true);
  noProblems(page);
  await page.close();

  page = await lab.open('suppression.html#c=-3&p=abc&mag=<b>x</b>');
  await trainedFor(page, 0.4);
  s = await readState(page);
  assert.equal(s.config.feature_probability, 0.5);
  const note = await page.locator('#notes').textContent();
  assert.match(note, /ignored.*c, p, mag/);
  assert.equal(await page.locator('#notes b').count(), 0, 'hash text is never HTML');
  noProblems(page);
  await page.close();
});

test('the toy page links to the suppression page', async () => {
  const page = await lab.open('index.html');
  await page.click('nav.pages a[href="suppression.html"]');
  await page.waitForFunction(() => location.pathname.endsWith('suppression.html') && window.superpose && window.superpose.config, null, { timeout: 60000 });
  await page.close();
});
