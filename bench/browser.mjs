// Browser target of the benchmark suite (bench/suite.mjs; not a test): the real pages
// (build/bench/wasm/site) in Debian's headless Chromium (playwright-core, flags of
// ../shared/notes/toolchain.md), served on a loopback port by tests/web/serve.mjs. Each
// workload runs on its own page, in the page's own training worker:
//   W1 toy-20x5: index.html, configured through its URL hash (web/lib/state.js).
//   W2 sae-synth: sae.html, opened with #archs=relu&latents=512; once the page has started its
//     own run, the harness configures the page's LabClient (window.superpose.client) with W2
//     (below) stretched to a long run for the speed window, then with W2 itself (3000 steps) for
//     the quality at equal steps; the page draws both as its own.
// For each it measures:
//   - steps/s while the page trains (Δ window.superpose.lastFrame.step over a timed window,
//     after a warm-up; the worker's own estimate, frame.stepsPerSec, is reported too),
//   - the longest main-thread task while training: PerformanceObserver 'longtask' entries
//     (tasks over 50 ms) and the largest gap seen by a 5 ms heartbeat on the main thread,
//   - where the cores go (Linux, /proc): the cores the workers' threads and the browser's other
//     threads (the page's main thread, compositing, raster, the GPU process) used over the window,
//     and the steps per worker CPU-second,
//   - bytes transferred: wasm + JS + CSS as served, and gzipped (level 9) as a static host
//     would send them,
//   - W1: time from navigation to the first trained frame (window.superpose.firstFrameMs, which
//     is performance.now() and so counts from navigation start) and the loss at the window's end;
//   - W2: quality after the 3000-step run from its last frame's `metrics` buffer, measured by the
//     session on its held-out batch (eval_batch 1024 samples): L0, FVE, MMCS. The worker
//     refreshes those metrics for every frame (~20/s), so the page's steps/s includes that
//     evaluation (bench_sae's does not).
// Each workload runs with one worker and with all (`--workers 1,all`: the page's hash key
// `workers`, web/lib/workers.js; all = one per core, the pages' default), each in a fresh browser,
// whose renderer's peak resident memory (VmHWM of the renderer processes: the page and its
// workers, each worker with its own wasm module) is reported as peak memory. W2 is one SAE run:
// the pool has one run to give out, so "all workers" trains it on one (the row says so).
// `--only presets` times the slow presets to their end instead (issue 18: the toy page's
// "Dimensionality is sticky", all five SAE architectures, the SAE page's sweep), per worker count,
// with the longest main-thread task during each run.
// `--only P4` times one of them (issue 17's six architectures on the hierarchical data).
//   node bench/browser.mjs [--site DIR] [--seconds S=6] [--only W1,W2,presets,P1..P4] [--workers 1,all] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (k, d) => { const i = argv.indexOf(k); return i >= 0 && argv[i + 1] ? argv[i + 1] : d; };
const SITE = path.resolve(arg('--site', path.join(REPO, 'build/bench/wasm/site')));
const SECONDS = Number(arg('--seconds', 6));
const JSON_OUT = argv.includes('--json');
const ONLY = String(arg('--only', 'W1,W2')).split(',').map((x) => x.trim()).filter(Boolean);
// Worker counts: a number, or `all` (the hash key's 0: one per core).
const WORKERS = String(arg('--workers', '1,all')).split(',').map((x) => x.trim()).filter(Boolean)
  .map((x) => (x === 'all' ? 0 : Number(x)));
if (WORKERS.some((n) => !Number.isInteger(n) || n < 0 || n > 16)) throw new Error('--workers takes a list of 1..16 or all');
const CHROMIUM = process.env.SUPERPOSE_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const notes = [];

// The page engineer's static server if it is there, else a minimal one of our own.
async function startServer(root) {
  const theirs = path.join(REPO, 'tests/web/serve.mjs');
  if (fs.existsSync(theirs)) return (await import(theirs)).serve(root);
  const http = await import('node:http');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json' };
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, `.${rel}`);
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

// W1 as the page's URL hash (web/lib/state.js): n=20, m=5, 7 instances with explicit p, decay 0.7,
// batch 1024, plenty of steps so it keeps training through the window. The page trains with Adam
// (it has no optimiser field), W1's AdamW costs the same per step.
async function w1Hash() {
  const st = await import(path.join(SITE, 'lib/state.js'));  // the site's copy: it reads the built schema.json
  const s = { ...st.defaults(), n: 20, m: 5, k: 7, pList: [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001], decay: 0.7, batch: 1024, steps: 1000000, autoplay: true };
  return st.toHash(s);
}

// W2 as the session config of kind "sae" (docs/wasm-api.md; the defaults of SaeConfig,
// src/sae/sae_config.hpp, written out; lr and schedule are left to those defaults): 256 true
// unit features in d=64, 5 active on average (magnitude U[0,1]), one ReLU SAE with 512 latents
// (tied init, unit-norm decoder), λ = 0.3, batch 1024, 3000 steps (the schedule's length and the
// run's end). The speed window trains W2_LONG instead, so the page keeps training through it.
const W2_CONFIG = {
  archs: ['relu'], data: 'synthetic', input_dim: 64, true_features: 256, active: 5, n_latents: 512,
  l1: 0.3, decoder_norm: 'unit', batch_size: 1024, steps: 3000, seed: 0,
};
const W2_LONG = { ...W2_CONFIG, steps: 1000000 };
const W2_HASH = '#archs=relu&latents=512';

/** A fresh page that records its problems, the files it loads and its long tasks. */
async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  const bodies = [];
  page.on('response', async (r) => {
    try {
      const url = r.url();
      const ext = path.extname(new URL(url).pathname).toLowerCase();
      if (!['.wasm', '.js', '.mjs', '.css'].includes(ext) || r.status() !== 200) return;
      const body = await r.body();
      bodies.push({ url, ext, bytes: body.length, gzip: zlib.gzipSync(body, { level: 9 }).length });
    } catch { /* a body that went away with a navigation */ }
  });
  await page.addInitScript(() => {
    window.__bench = { longtasks: [], maxGap: 0, gaps: false };
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, duration: e.duration }); })
        .observe({ type: 'longtask', buffered: true });
    } catch { window.__bench.noLongtask = true; }
  });
  return { page, problems, bodies };
}

/** Warm-up, then the timed window: steps, the worker's estimate, long tasks and heartbeat gaps. */
async function timedWindow(page) {
  // Heartbeat: the largest gap between 5 ms timers on the main thread while training.
  await page.evaluate(() => {
    const b = window.__bench; let last = performance.now();
    b.maxGap = 0; b.hb = setInterval(() => { const t = performance.now(); b.maxGap = Math.max(b.maxGap, t - last); last = t; }, 5);
    b.longtasks = b.longtasks.filter(() => false);  // only count tasks during the training window
  });
  await page.waitForTimeout(2000);  // warm-up: V8 tiers the wasm up, the chunk size adapts
  const c0 = threadCpu(PROFILE);
  const s0 = await page.evaluate(() => ({ step: window.superpose.lastFrame.step, t: performance.now() }));
  await page.waitForTimeout(SECONDS * 1000);
  const c1 = threadCpu(PROFILE);
  const s1 = await page.evaluate(() => {
    const S = window.superpose, b = window.__bench, f = S.lastFrame;
    clearInterval(b.hb);
    const m = f.buffers && f.buffers.metrics;
    return { step: f.step, t: performance.now(), sps: f.stepsPerSec, running: S.running, loss: f.lossTotal,
      metrics: m ? Array.from(m.data) : null, longtasks: b.longtasks, noLongtask: !!b.noLongtask, maxGap: b.maxGap, frames: S.frameCount };
  });
  const longest = s1.longtasks.reduce((mx, e) => Math.max(mx, e.duration), 0);
  const cores = coresUsed(c0, c1, (s1.t - s0.t) / 1000);
  return {
    s1,
    common: {
      steps_per_second: +((s1.step - s0.step) / ((s1.t - s0.t) / 1000)).toFixed(1),
      worker_estimate_steps_per_second: +(s1.sps || 0).toFixed(1), window_s: +((s1.t - s0.t) / 1000).toFixed(2),
      longest_task_ms: s1.noLongtask ? null : +longest.toFixed(1), long_tasks: s1.longtasks.length,
      max_main_thread_gap_ms: +s1.maxGap.toFixed(1),
      ...(cores ? {
        worker_cores: +cores.workers.toFixed(2), other_thread_cores: +cores.rest.toFixed(2),
        steps_per_worker_cpu_second: cores.workerSeconds > 0 ? +((s1.step - s0.step) / cores.workerSeconds).toFixed(0) : null,
      } : {}),
    },
  };
}

function transfer(bodies) {
  const pick = (f) => bodies.filter(f).reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip }), { bytes: 0, gzip: 0 });
  const all = pick(() => true), wasm = pick((b) => b.ext === '.wasm'), js = pick((b) => b.ext === '.js' || b.ext === '.mjs'), css = pick((b) => b.ext === '.css');
  return {
    transfer_bytes: all.bytes, transfer_gzip_bytes: all.gzip, transfer_gzip_kib: +(all.gzip / 1024).toFixed(1),
    wasm_gzip_kib: +(wasm.gzip / 1024).toFixed(1), js_gzip_kib: +(js.gzip / 1024).toFixed(1), css_gzip_kib: +(css.gzip / 1024).toFixed(1),
    files: bodies.map((b) => ({ file: path.basename(new URL(b.url).pathname), bytes: b.bytes, gzip: b.gzip })),
  };
}

/** The worker count the page runs on (its pool, web/lib/pool.js) and the machine's cores. */
const poolInfo = (page) => page.evaluate(() => ({ workers: window.superpose.client.workers, cores: navigator.hardwareConcurrency }));
const withWorkers = (hash, n) => (n ? `${hash}${hash.includes('=') ? '&' : ''}workers=${n}` : hash);

async function measureW1(context, server, results, workers) {
  const { page, problems, bodies } = await openPage(context);
  const hash = withWorkers(await w1Hash(), workers);
  await page.goto(server.url + 'index.html' + hash);
  await page.waitForFunction(() => window.superpose && window.superpose.firstFrameMs !== null, null, { timeout: 120000 });
  const firstFrameMs = await page.evaluate(() => window.superpose.firstFrameMs);
  const { s1, common } = await timedWindow(page);
  if (!s1.running) notes.push('W1: the page stopped training during the window');
  results.push({ workload: 'W1 toy-20x5', ...common, ...(await poolInfo(page)), loss_total: s1.loss, first_frame_ms: +firstFrameMs.toFixed(0), ...transfer(bodies), hash });
  if (problems.length) notes.push(`W1 page problems: ${problems.slice(0, 3).join('; ')}`);
  await page.close();
}

async function measureW2(context, server, results, workers) {
  const { page, problems, bodies } = await openPage(context);
  const hash = withWorkers(W2_HASH, workers);
  await page.goto(server.url + 'sae.html' + hash);
  // The page configures and plays its own run once the module has loaded: wait for it to train,
  // so that its configure cannot land after ours.
  await page.waitForFunction(() => window.superpose && window.superpose.config && window.superpose.running, null, { timeout: 120000 });
  const start = (cfg) => page.evaluate(async (c) => {
    const S = window.superpose;
    const a = await S.client.configure(c, 'sae');
    // What the page's own configure does after the answer (web/pages/sae/sae.js), so it draws this run.
    S.generation++; S.config = a.config; S.history = []; S.lossTrace = []; S.done = false;
    S.lastFrame = null;
    await S.client.play();
    return a.config;
  }, cfg);
  const t0 = Date.now();
  await start(W2_LONG);
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 120000 });
  const firstStepMs = Date.now() - t0;
  const { s1, common } = await timedWindow(page);
  const pool = await poolInfo(page);
  if (!s1.running) notes.push('W2: the page stopped training during the window');
  // Quality at equal steps: W2 itself, to its end.
  const config = await start(W2_CONFIG);
  const end = await page.waitForFunction(() => {
    const f = window.superpose.lastFrame;
    return f && f.done && f.buffers && f.buffers.metrics ? { step: f.step, metrics: Array.from(f.buffers.metrics.data) } : null;
  }, null, { timeout: 300000 }).then((h) => h.jsonValue());
  const runs = config && config.runs ? config.runs.length : 0;
  if (runs !== 1) notes.push(`W2: the session answered ${runs} runs, expected 1`);
  const m = end.metrics || [];
  const q = (i) => (Number.isFinite(m[i]) ? +m[i].toFixed(4) : null);  // metrics row 0: l0, mse, fve, dead, dense, γ, mmcs, recovered
  results.push({
    workload: 'W2 sae-synth', ...common, ...pool, loss_total: s1.loss, l0: q(0), fve: q(2), mmcs: q(6), dead_fraction: q(3),
    steps_trained: end.step, first_step_after_configure_ms: firstStepMs, ...transfer(bodies), hash,
    config: Object.fromEntries(Object.keys(W2_CONFIG).map((k) => [k, config ? config[k] : undefined])),
  });
  if (problems.length) notes.push(`W2 page problems: ${problems.slice(0, 3).join('; ')}`);
  await page.close();
}

// The slow presets (issue 18), timed from navigation to the run's last frame.
const PRESETS = [
  { workload: 'P1 sticky preset', link: 'index.html#preset=dims' },  // "Dimensionality is sticky"
  { workload: 'P2 five SAE architectures', link: 'sae.html#archs=relu,gated,jumprelu,topk,batchtopk' },
  { workload: 'P3 SAE sweep', link: 'sae.html#sweep=1' },
  // issue 17: all six architectures on the hierarchical preset, "within two minutes on 2 cores"
  { workload: 'P4 six SAE architectures, hierarchical data', link: 'sae.html#data=hierarchical&archs=relu,gated,jumprelu,topk,batchtopk,matryoshka' },
];

async function measurePreset(context, server, results, workers, preset) {
  const { page, problems } = await openPage(context);
  const hash = withWorkers(preset.link.split('#')[1], workers);
  await page.goto(`${server.url}${preset.link.split('#')[0]}#${hash}`);
  await page.waitForFunction(() => window.superpose && window.superpose.config, null, { timeout: 120000 });
  await page.evaluate(() => { window.__bench.longtasks = []; });
  const end = await page.waitForFunction(() => {
    const f = window.superpose.lastFrame;
    return f && f.done && !f.running ? { ms: performance.now(), step: f.step, longtasks: window.__bench.longtasks } : null;
  }, null, { timeout: 600000, polling: 50 }).then((h) => h.jsonValue());
  const pool = await poolInfo(page);
  const longest = end.longtasks.reduce((mx, e) => Math.max(mx, e.duration), 0);
  results.push({ workload: preset.workload, ...pool, seconds_to_trained: +(end.ms / 1000).toFixed(2), steps: end.step,
    longest_task_ms: +longest.toFixed(1), long_tasks: end.longtasks.length, hash });
  if (problems.length) notes.push(`${preset.workload} page problems: ${problems.slice(0, 3).join('; ')}`);
  await page.close();
}

/** The processes of the browser whose profile folder is `profile` (their command lines name it):
 * [{pid, cmd}]. */
function browserProcesses(profile) {
  const out = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(profile)) out.push({ pid, cmd });
    } catch { /* a process that ended */ }
  }
  return out;
}

/** Peak resident memory of the browser's renderer processes (the page and its workers), MiB. */
function rendererPeakMiB(profile) {
  let kib = 0;
  for (const { pid, cmd } of browserProcesses(profile)) {
    if (!cmd.includes('--type=renderer')) continue;
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch { /* a process that ended */ }
  }
  return kib ? +(kib / 1024).toFixed(1) : null;
}

// The fresh browser's profile folder: its processes' command lines name it (rendererPeakMiB, threadCpu).
let PROFILE = null;

/** CPU seconds so far of every thread of this browser's processes (Linux /proc; null elsewhere),
 * by thread id: {worker: a Web Worker's thread, cpu}. Where the cores go while a page trains:
 * single runs of one and of two workers land on a VM's unequal vCPUs, so the ratio of their
 * steps/s moves by more than the scaling goal's margin, while the cores the workers get and their
 * steps per CPU-second do not. */
function threadCpu(profile) {
  if (!profile || !fs.existsSync('/proc/self/task')) return null;
  const hz = 100;  // USER_HZ: /proc's clock ticks (100 on Linux's every common platform)
  const out = new Map();
  for (const { pid } of browserProcesses(profile)) {
    try {
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // f[11], f[12]: utime, stime
        out.set(`${pid}/${tid}`, { worker: name.startsWith('DedicatedWorker'), cpu: (Number(f[11]) + Number(f[12])) / hz });
      }
    } catch { /* a process or thread that ended */ }
  }
  return out;
}

/** Cores used between two threadCpu snapshots over `seconds`: {workers, rest}. */
function coresUsed(a, b, seconds) {
  if (!a || !b || !(seconds > 0)) return null;
  let workers = 0, rest = 0;
  for (const [t, v] of b) {
    const d = v.cpu - (a.has(t) ? a.get(t).cpu : 0);
    if (v.worker) workers += d; else rest += d;
  }
  return { workers: workers / seconds, rest: rest / seconds, workerSeconds: workers };
}

/** `measure(context)` in a fresh browser; the renderers' peak memory joins its new results. */
async function inFreshBrowser(server, results, measure) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-bench-chromium-'));
  PROFILE = profile;
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
  const before = results.length;
  try {
    await measure(context);
    const peak = rendererPeakMiB(profile);
    for (const r of results.slice(before)) r.renderer_peak_rss_mib = peak;
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);
  const server = await startServer(SITE);
  const results = [];
  try {
    for (const workers of WORKERS) {
      if (ONLY.includes('W1')) await inFreshBrowser(server, results, (c) => measureW1(c, server, results, workers));
      if (ONLY.includes('W2')) {
        if (fs.existsSync(path.join(SITE, 'sae.html'))) await inFreshBrowser(server, results, (c) => measureW2(c, server, results, workers));
        else notes.push(`W2: ${path.join(SITE, 'sae.html')} does not exist; not measured in the browser`);
      }
      // presets: all of them; P1..P4: that one
      for (const p of PRESETS.filter((q) => ONLY.includes('presets') || ONLY.includes(q.workload.split(' ')[0]))) {
        await inFreshBrowser(server, results, (c) => measurePreset(c, server, results, workers, p));
      }
    }
  } finally {
    await server.close();
  }
  if (JSON_OUT) console.log(JSON.stringify({ results, notes }));
  else {
    for (const r of results) {
      const w = `${r.workers} worker${r.workers === 1 ? '' : 's'} of ${r.cores} cores`;
      if (r.seconds_to_trained !== undefined) {
        console.log(`${r.workload} (browser, ${w}): trained in ${r.seconds_to_trained} s (${r.steps} steps), longest task ${r.longest_task_ms} ms` +
          ` (${r.long_tasks} over 50 ms), renderer peak ${r.renderer_peak_rss_mib} MiB`);
        continue;
      }
      const extra = r.first_frame_ms !== undefined ? `first trained frame ${r.first_frame_ms} ms after navigation, `
        : `L0 ${r.l0}, FVE ${r.fve}, MMCS ${r.mmcs} @${r.steps_trained} steps, `;
      console.log(`${r.workload} (browser, ${w}): ${r.steps_per_second} steps/s (worker estimate ${r.worker_estimate_steps_per_second}), ${extra}` +
        `longest task ${r.longest_task_ms ?? 'n/a'} ms (${r.long_tasks} over 50 ms; largest 5 ms-heartbeat gap ${r.max_main_thread_gap_ms} ms), ` +
        (r.worker_cores !== undefined ? `cores: workers ${r.worker_cores} (${r.steps_per_worker_cpu_second} steps per worker CPU-second), the browser's other threads ${r.other_thread_cores}, ` : '') +
        `transfer ${r.transfer_gzip_kib} KiB gzipped (wasm ${r.wasm_gzip_kib}, JS ${r.js_gzip_kib}, CSS ${r.css_gzip_kib}), renderer peak ${r.renderer_peak_rss_mib} MiB`);
    }
    for (const n of notes) console.log(`note: ${n}`);
  }
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
