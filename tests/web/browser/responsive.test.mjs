// The main thread stays free, in a real browser (Debian's Chromium via playwright-core, the built
// site). (1) Issue 14 #7: links with extreme accepted numbers (`index.html#pmin=1e-60`,
// `#p=1,1e-300`, denormals, the smallest and largest values each page's table accepts) load,
// train and keep answering: a 0 ms timer fires in time and frames keep arriving. (2) Issue 14 #9:
// opening index.html and pressing play, from navigation on (a PerformanceObserver for 'longtask'
// installed before any page script, and a Chromium trace of the page's main thread), no task of
// the page takes more than LONGTASK_MS (50) ms of CPU in the first 8 s: loading, module
// evaluation, first layout, making and first drawing every panel, training frames.
// Why CPU time and not the longtask entries' wall time: on this machine (2 cores, load 20–30 from
// other builds) a task of 20 ms of CPU often takes 300–2000 ms of wall time, so a wall bound
// either fails at random or is too loose to catch a 100 ms task; a task's thread CPU time (the
// trace's tdur) is what the page controls. The longtask entries are logged beside it, and
// SUPERPOSE_LONGTASK_WALL=1 asserts them too (on an idle machine). playwright's own evaluations
// in the page (CDP scripts) and bare messages from the browser process (IPC with none of the page's
// work inside) are logged but not counted.
// SUPERPOSE_LONGTASK_MS sets the bound; SUPERPOSE_LONGTASK_RUNS the number of loads (2: a first visit and a link that waits for play).
// What it is not: the views' own fuzz test (tests/web/unit/views.fuzz.test.mjs feeds the same
// values straight into every axis, formatter and view under node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { startLab, startTrace, heavyTasks } from '../harness.mjs';

const LONGTASK_MS = Number(process.env.SUPERPOSE_LONGTASK_MS || 50);
const RUNS = Number(process.env.SUPERPOSE_LONGTASK_RUNS || 2);

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);

/** A 0 ms timer's delay, measured in the page: what a click would wait for. */
const timerLag = (page) => page.evaluate(() => new Promise((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); }));

// Each link is accepted as it is (no note) and used to hang the tab or could: p that underflows
// to 0 in a float32 frame (1/p = ∞ on a log axis), denormals, the extremes of each page's table.
const LINKS = [
  'index.html#pmin=1e-60',
  'index.html#p=1,1e-300',
  'index.html#pmin=5e-324&k=32',
  'index.html#p=1e-38,1e-45,5e-324&steps=100000',
  'index.html#pmax=1e-300&pmin=1e-300&k=3',
  'index.html#decay=1e-300&lr=1e-5&p=1,0.5',
  'steer.html#p=1e-300&strength=-100',
  'steer.html#p=5e-324&n=64&m=64',
  'suppression.html#p=0.01&c=0&n=4',
  'sae.html#l1=0.01&k=1',
  'grok.html#wd=0&frac=0.05&width=16',
  'lm.html#layers=1&d=16&heads=1&ctx=2&batch=1&steps=100000',
];

for (const link of LINKS) {
  test(`${link} loads, trains and stays responsive`, async () => {
    const page = await lab.open(link);
    // A run may end in fewer frames than that (steer with p = 1e-300 trains on empty samples):
    // done is as good as a third frame.
    await page.waitForFunction(() => window.superpose.frameCount > 2 || window.superpose.done, null, { timeout: 60000 });
    const lags = [];
    for (let i = 0; i < 5; i++) {
      const lag = await Promise.race([timerLag(page), new Promise((r) => setTimeout(() => r(Infinity), 10000))]);
      lags.push(lag);
      await page.waitForTimeout(200);
    }
    const frames = await page.evaluate(() => window.superpose.frameCount);
    await page.waitForFunction((n) => window.superpose.frameCount > n || window.superpose.done, frames, { timeout: 20000 });
    console.log(`# ${link}: timer lag ${lags.map((l) => l.toFixed(0)).join(', ')} ms`);
    // A frozen tab never answers (Infinity after 10 s); a page busy in every frame answers late
    // every time: the median catches it. One late answer is the machine's (CI once saw 1582 ms at
    // load 14 on 2 cores, the other four within 70 ms), so the worst only has to stay under 5 s.
    const median = [...lags].sort((a, b) => a - b)[2];
    assert.ok(median < 1000, `a 0 ms timer waited ${median} ms (median of ${lags.map((l) => l.toFixed(0)).join(', ')})`);
    assert.ok(Math.max(...lags) < 5000, `a 0 ms timer waited ${Math.max(...lags)} ms`);
    noProblems(page);
    await page.close();
  });
}

/** One load of `link` traced from navigation to 8 s: {link, longtasks, heavy, worst}. */
async function traceLoad(link, label) {
  let stopTrace;
  const page = await lab.open(link, { waitReady: false, before: async (p) => {
    // Before any page script: every long task from navigation on is recorded.
    await p.addInitScript(() => {
      window.__longtasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longtasks.push({ start: Math.round(e.startTime), ms: Math.round(e.duration) });
      }).observe({ type: 'longtask', buffered: true });
    });
    stopTrace = await startTrace(p, lab.url);
  } });
  await page.waitForFunction(() => window.superpose && window.superpose.config && window.superpose.ready, null, { timeout: 60000, polling: 250 });
  await page.click('#play');
  await page.waitForFunction(() => performance.now() > 8000, null, { timeout: 30000, polling: 500 });
  const longtasks = await page.evaluate(() => window.__longtasks.filter((t) => t.start < 8000));
  const step = await page.evaluate(() => window.superpose.lastFrame.step);
  const tasks = await stopTrace();
  const { heavy, ours, worst } = heavyTasks(tasks);
  const load = os.loadavg()[0].toFixed(1);
  console.log(`# ${label} (${link}; machine load ${load} on ${os.cpus().length} cores): step ${step} at 8 s`);
  console.log(`#   longtask entries (wall ms): ${JSON.stringify(longtasks)}`);
  console.log(`#   the page's main-thread tasks over 20 ms of CPU (of ${tasks.length}): ${JSON.stringify(heavy)}`);
  console.log(`#   (playwright's own evaluations and bare IPC messages, not counted: ${JSON.stringify(ours)} ms of CPU)`);
  assert.ok(tasks.length > 100, `the trace holds the page's main thread (${tasks.length} tasks)`);
  noProblems(page);
  await page.close();
  return { link, longtasks, heavy, worst };
}

// A load whose worst task is over the bound is measured once more, and counts only if it is over
// twice in a row: a change that makes a task too long makes it so in every load, while a loaded
// machine (2 cores, the other test lane and the sanitized build beside it) once in a while makes
// one task's CPU time longer (the static page's first layout, 20-38 ms at load 3-7, reached
// 45-55 ms at load 12-16).
test(`index.html, then play: no main-thread task over ${LONGTASK_MS} ms from navigation on (${RUNS} loads)`, async () => {
  const results = [];
  for (let run = 0; run < RUNS; run++) {
    // As the issue did: a first visit (the intro preset trains at once; play then pauses), and a
    // link that waits for play (play then starts the training), in turn.
    const link = run % 2 === 0 ? 'index.html' : 'index.html#autoplay=0';
    let r = await traceLoad(link, `load ${run + 1}`);
    if (r.worst > LONGTASK_MS) r = await traceLoad(link, `load ${run + 1} again (its worst task took ${r.worst} ms of CPU)`);
    results.push(r);
  }
  const worst = results.reduce((m, r) => Math.max(m, r.worst), 0);
  assert.ok(worst <= LONGTASK_MS, `a main-thread task took ${worst} ms of CPU (bound ${LONGTASK_MS}), twice in a row: ${JSON.stringify(results.map((r) => r.heavy))}`);
  if (process.env.SUPERPOSE_LONGTASK_WALL === '1') {
    const wall = Math.max(0, ...results.flatMap((r) => r.longtasks.map((t) => t.ms)));
    assert.ok(wall <= LONGTASK_MS, `a longtask entry of ${wall} ms (bound ${LONGTASK_MS})`);
  }
});
