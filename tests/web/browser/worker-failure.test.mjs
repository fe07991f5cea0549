// Worker failure in a real browser (issue 9): when the wasm module traps (or runs out of memory)
// inside the worker, the page says what happened (as text) and carries on with a fresh worker,
// configured as before, without a reload (web/lib/client.js restart).
// The trap is simulated: an uncaught WebAssembly.RuntimeError thrown in the worker's event loop,
// which is exactly how a trap inside lab.step() in worker.js's training chunk surfaces.
// One worker here (workers=1); a trap in one worker of several: tests/web/browser/pool.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

test('a trapping worker is reported and replaced; training continues without a reload', async () => {
  const page = await lab.open('index.html#preset=pentagon&steps=200000&workers=1');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 60000 });
  const first = page.workers();
  assert.equal(first.length, 1, 'one worker');
  await first[0].evaluate(() => {
    setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable executed (simulated trap)'); }, 0);
  });
  await page.waitForFunction(() => window.superpose.errors.some((e) => /crashed/.test(e)), null, { timeout: 30000 });
  const s = await readState(page);
  const shown = s.errors.find((e) => /crashed/.test(e));
  assert.match(shown, /simulated trap/, 'the message says what happened');
  assert.match(await page.locator('body').innerText(), /crashed/, 'and the page shows it');
  // A fresh worker, configured as before: play trains again.
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step === 0, null, { timeout: 30000 });
  assert.ok(!page.workers().includes(first[0]) || page.workers().length >= 1);
  const config = s.config;
  await page.click('#play');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 60000 });
  const after = await readState(page);
  assert.deepEqual(after.config, config, 'the same experiment');
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload');
  await page.close();
});
