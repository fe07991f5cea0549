// The worker pool (web/lib/pool.js, issue 18) in a real browser: a link trained on one worker and
// on several gives bit-identical buffers, config and loss trace (each run keeps its own seeded
// stream; the pool joins the shards' frames in run order), on the SAE page (architectures, sweep
// values), the toy page (instances shared out by cost; the saved model file too) and the
// suppression page (the fixes and the sweep's points); a worker that traps mid-run is
// reported and replaced, and the experiment trains again on all its workers; the hash key
// `workers` is validated like every key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);

/** Open `link`, wait for the finished run; its state, loss trace and worker count. */
async function finished(link, { model = false } = {}) {
  const page = await lab.open(link);
  await page.waitForFunction(() => window.superpose.done && window.superpose.lastFrame && window.superpose.lastFrame.done,
    null, { timeout: 180000 });
  const s = await readState(page);
  s.lossTrace = await page.evaluate(() => JSON.stringify(window.superpose.lossTrace));
  if (model) s.model = await page.evaluate(async () => Array.from((await window.superpose.client.exportModel()).bytes));
  s.workers = await page.evaluate(() => window.superpose.client.workers);
  s.threads = page.workers().length;
  noProblems(page);
  await page.close();
  return s;
}

// A page's first link is checked on two workers (a 2-core machine's) and three (shards of unequal
// size), its second on three only.
const COUNTS = [[2, 3], [3]];

function sameRun(one, many, what) {
  assert.deepEqual(many.config, one.config, `${what}: the same config`);
  assert.deepEqual(Object.keys(many.frame.buffers).sort(), Object.keys(one.frame.buffers).sort(), `${what}: the same buffers`);
  for (const [name, b] of Object.entries(one.frame.buffers)) {
    assert.deepEqual(many.frame.buffers[name].shape, b.shape, `${what}: ${name}'s shape`);
    const a = many.frame.buffers[name].data;
    const bad = b.data.findIndex((v, i) => !Object.is(v, a[i]));
    assert.equal(bad, -1, `${what}: ${name}[${bad}] is ${a[bad]} on several workers, ${b.data[bad]} on one`);
  }
  assert.equal(many.frame.step, one.frame.step);
  assert.equal(many.lossTrace, one.lossTrace, `${what}: the same loss trace`);
}

test('SAE page: one worker and several train bit-identical runs (architectures, sweep values)', async () => {
  const base = 'sae.html#data=toy&archs=relu,gated,topk,batchtopk';
  const one = await finished(`${base}&workers=1`);
  assert.equal(one.workers, 1);
  assert.equal(one.frame.buffers.metrics.shape[0], 4);
  for (const n of [2, 3]) {
    const many = await finished(`${base}&workers=${n}`);
    assert.equal(many.workers, n, `${n} workers train`);
    assert.ok(many.threads >= n, `${many.threads} worker threads`);
    sameRun(one, many, `${n} workers`);
  }
  // a sweep: fewer architectures than workers splits an architecture's sweep values
  const sweep = 'sae.html#data=toy&archs=relu,topk&sweep=1';
  const sweepOne = await finished(`${sweep}&workers=1`);
  const sweepFour = await finished(`${sweep}&workers=4`);
  assert.equal(sweepOne.config.runs.length, 6);
  assert.equal(sweepFour.workers, 4);
  sameRun(sweepOne, sweepFour, 'sweep on 4 workers');
  // on 2 workers each trains some of relu's λ and some of topk's k (web/lib/shards.js balance):
  // the values join back in the page's order
  const sweepTwo = await finished(`${sweep}&workers=2`);
  assert.equal(sweepTwo.workers, 2);
  sameRun(sweepOne, sweepTwo, 'sweep on 2 workers');
});

test('toy page: one worker and several train bit-identical instances; the saved model is the same file', async () => {
  for (const [i, base] of ['index.html#n=12&m=4&p=1,0.3,0.1,0.03,0.01,0.003&steps=400&batch=256&autoplay=1',
    'index.html#n=6&m=3&p=1,0.1,0.01&model=abs&steps=300&autoplay=1'].entries()) {
    const one = await finished(`${base}&workers=1`, { model: true });
    assert.equal(one.workers, 1);
    for (const n of COUNTS[i]) {
      const many = await finished(`${base}&workers=${n}`, { model: true });
      assert.equal(many.workers, n, `${n} workers train`);
      sameRun(one, many, `${base}: ${n} workers`);
      assert.ok(one.model.length > 100);
      assert.deepEqual(many.model, one.model, `${base}: ${n} workers save the same model file`);
    }
  }
});

test('suppression page: one worker and several train bit-identical fixes and sweep points', async () => {
  // the page's sweep (12 values of c) beside none, scale and gated; one feature, and three
  // co-active ones (the exact losses, decoder mixing and the fixes' outcomes)
  for (const [i, base] of ['suppression.html#c=0.6', 'suppression.html#n=3&c=0.4'].entries()) {
    const one = await finished(`${base}&workers=1`);
    assert.equal(one.workers, 1);
    assert.equal(one.frame.buffers.sweep.shape[0], 12);
    for (const n of COUNTS[i]) {
      const many = await finished(`${base}&workers=${n}`);
      assert.equal(many.workers, n, `${n} workers train`);
      assert.ok(many.threads >= n, `${many.threads} worker threads`);
      sameRun(one, many, `${base}: ${n} workers`);
    }
  }
});

test('a worker that traps mid-run is reported and replaced; the pool trains again', async () => {
  const page = await lab.open('sae.html#archs=relu,topk&workers=2');
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 20, null, { timeout: 90000 });
  const workers = page.workers();
  assert.ok(workers.length >= 2, `${workers.length} worker threads`);
  const config = (await readState(page)).config;
  await workers[1].evaluate(() => {
    setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable executed (simulated trap)'); }, 0);
  });
  await page.waitForFunction(() => window.superpose.errors.some((e) => /crashed/.test(e)), null, { timeout: 30000 });
  const s = await readState(page);
  assert.match(s.errors.find((e) => /crashed/.test(e)), /simulated trap/);
  assert.match(await page.locator('#error').textContent(), /crashed/);
  // the whole experiment stands at step 0, on a fresh worker and the others reset
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step === 0 && !window.superpose.lastFrame.running,
    null, { timeout: 30000 });
  await page.click('#play');  // the toolbar's play trains it again (was the page's retrain)
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 20, null, { timeout: 90000 });
  const after = await readState(page);
  assert.deepEqual(after.config, config, 'the same experiment');
  assert.equal(await page.evaluate(() => window.superpose.client.workers), 2);
  assert.deepEqual(after.frame.buffers.metrics.shape, [2, 8]);
  assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation').length), 1, 'no reload');
  await page.close();
});

test('the hash key workers is validated: out of range or malformed falls back to one per core, with a note', async () => {
  for (const bad of ['99', '-1', '2.5', 'many']) {
    const page = await lab.open(`sae.html#data=toy&archs=relu,topk&workers=${bad}`);
    const s = await readState(page);
    assert.equal(s.state.workers, 0, `workers=${bad}`);
    assert.match(await page.locator('#notes').textContent(), /workers/);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(await page.evaluate(() => window.superpose.client.workers), Math.min(cores, 2), `workers=${bad}: one per core (2 runs)`);
    assert.doesNotMatch(page.url(), /workers=/, 'the default is not written');
    await page.close();
  }
});
