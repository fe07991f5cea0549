// Issue 18's "no main-thread task over 50 ms" on the slow presets, in a real browser (Debian's
// Chromium via playwright-core, the built site): the toy page's "Dimensionality is sticky" preset
// (30 features, 10 dimensions, 12 instances: a grid of 12 WᵀW tiles and every panel redrawn with
// each merged frame), from navigation to a second after the run's end, on one worker and on two
// (the pool's merged frames, pool.js), no task of the page's main thread takes more than
// LONGTASK_MS (50) ms of CPU: loading, the first layout, module evaluation, making and first
// drawing every panel, the training frames, and the garbage collector's sweeping once the run
// has ended (it frees what the frames' drawing left behind).
// Why CPU time (the trace's thread time, harness.mjs startTrace) and not wall time: on this
// machine's 2 cores the training workers take both, so a task's wall time is mostly the time the
// main thread waited for a core (bench/browser.mjs reports the longtask entries' wall time on an
// idle machine); a task's CPU is what the page controls. playwright's own evaluations in the page
// are logged but not counted.
// The preset is shortened to STEPS (3000 of its 8000; every frame draws the same panels, and the
// first draw and the end are in it) so that a run takes ~10 s on a loaded machine, not 40.
// The largest tasks left are the browser's first layout of the static page (its HTML and CSS,
// before any script: 20-33 ms of CPU at load 3-7, 45-55 ms at load 12-16) and the module's
// evaluation (15-26 ms): on a machine that loaded, the bound has little margin.
// SUPERPOSE_LONGTASK_MS sets the bound.
// What it is not: responsive.test.mjs (the first 8 s of index.html's intro preset, and links with
// extreme numbers); the SAE presets are not covered here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startLab, startTrace, heavyTasks } from '../harness.mjs';

const LONGTASK_MS = Number(process.env.SUPERPOSE_LONGTASK_MS || 50);
const STEPS = 3000;

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

/** One run of `link` traced from navigation to 1.5 s after its end: {heavy, worst}. */
async function traceRun(link, workers, label) {
  let stopTrace;
  const page = await lab.open(link, { waitReady: false, before: async (p) => { stopTrace = await startTrace(p, lab.url); } });
  await page.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.done
    && !window.superpose.lastFrame.running, null, { timeout: 180000, polling: 1000 });
  const end = await page.evaluate(() => ({ step: window.superpose.lastFrame.step, workers: window.superpose.client.workers, ms: performance.now() }));
  await page.waitForTimeout(1500);  // the sweeping after the run's end
  const tasks = await stopTrace();
  const { heavy, ours, worst } = heavyTasks(tasks);
  console.log(`# ${label}${link}: step ${end.step} on ${end.workers} worker(s) at ${(end.ms / 1000).toFixed(1)} s (machine load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
  console.log(`#   the page's main-thread tasks over 20 ms of CPU (of ${tasks.length}): ${JSON.stringify(heavy)}`);
  console.log(`#   (playwright's own evaluations in the page, not counted: ${JSON.stringify(ours)} ms of CPU)`);
  assert.equal(end.step, STEPS, 'the run trained to its end');
  assert.equal(end.workers, workers, 'the pool size the link asks for');
  assert.ok(tasks.length > 100, `the trace holds the page's main thread (${tasks.length} tasks)`);
  assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
  await page.close();
  return { heavy, worst };
}

// A run whose worst task is over the bound runs once more and fails only if it is over twice in a
// row (as responsive.test.mjs: a too-long task shows in every run; a loaded machine makes one
// task's CPU time longer once in a while).
for (const workers of [1, 2]) {
  test(`the sticky preset (${STEPS} steps) on ${workers} worker${workers > 1 ? 's' : ''}: no main-thread task over ${LONGTASK_MS} ms of CPU`, async () => {
    const link = `index.html#preset=dims&steps=${STEPS}&workers=${workers}`;
    let r = await traceRun(link, workers, '');
    if (r.worst > LONGTASK_MS) r = await traceRun(link, workers, `again (its worst task took ${r.worst} ms of CPU): `);
    assert.ok(r.worst <= LONGTASK_MS, `a main-thread task took ${r.worst} ms of CPU (bound ${LONGTASK_MS}), twice in a row: ${JSON.stringify(r.heavy.slice(0, 5))}`);
  });
}
