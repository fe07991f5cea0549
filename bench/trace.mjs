// Where a page's time goes while it trains (issue 18), from Chromium's own trace: a profiling
// tool beside bench/browser.mjs (not a test, not part of ./scripts/bench).
//
// What it is: opens a link on the built site (tests/web/serve.mjs, Debian's headless Chromium,
// the flags of bench/browser.mjs) once per worker count (the hash key `workers`, each in a fresh
// browser), records a CDP trace (browser-wide: the page's renderer process with its main thread
// and its training workers, the GPU process, the browser) over a window of training, or from
// navigation to the run's end (--to-end), and reports per thread the CPU time its tasks took
// (the trace's thread time, `tdur`: unlike wall time it does not grow when other processes take
// the cores, so figures from a loaded machine stay comparable) and how much of the window it was
// busy (wall). For the main thread also the CPU per 1,000 training steps, the CPU by what the
// tasks did (their first-level trace events: a script's function and file, layout, paint, GC,
// a message's deserialisation), and the longest tasks with their inner events. For each
// training worker: busy (wall) and CPU fractions of the window. A worker busy ≈ 1 but with CPU
// well below its wall time is preempted (cores shared); one with wall busy well below 1 waits
// (for messages: nothing in this design should make it wait for the page).
// What it is not: no pass/fail, no wall-clock speed claims (bench/browser.mjs's figures); the
// steps/s it prints are the window's, noisy on a shared machine.
//   node bench/trace.mjs --link 'index.html#preset=dims' [--site DIR] [--workers 1,2]
//        [--seconds S=8 | --to-end] [--warmup S=2] [--top N=5] [--save trace.json] [--json]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (k, d) => { const i = argv.indexOf(k); return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : d; };
const SITE = path.resolve(arg('--site', path.join(REPO, 'build/wasm/site')));
const LINK = arg('--link', 'index.html#preset=dims');
const SECONDS = Number(arg('--seconds', 8));
const WARMUP = Number(arg('--warmup', 2));
const TO_END = argv.includes('--to-end');
const TOP = Number(arg('--top', 5));
const SAVE = arg('--save', null);
const JSON_OUT = argv.includes('--json');
const WORKERS = String(arg('--workers', '1,2')).split(',').map(Number);
const CHROMIUM = process.env.SUPERPOSE_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'];

const TASK = 'ThreadControllerImpl::RunTask';

/** The top-level tasks of each thread ({ts, end, wall, cpu} in µs), nested tasks dropped. */
function tasksByThread(events) {
  const by = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== TASK) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!by.has(key)) by.set(key, []);
    by.get(key).push({ ts: e.ts, end: e.ts + e.dur, wall: e.dur, cpu: e.tdur ?? e.dur });
  }
  for (const [key, list] of by) {
    list.sort((a, b) => a.ts - b.ts);
    const top = [];
    for (const t of list) if (!top.length || t.ts >= top[top.length - 1].end) top.push(t);
    by.set(key, top);
  }
  return by;
}

/** A trace event's name with its script's function and file where it names one. */
function label(e) {
  const d = (e.args && (e.args.data || e.args.beginData)) || {};
  const fn = d.functionName || (d.stackTrace && d.stackTrace[0] && d.stackTrace[0].functionName) || '';
  const url = d.url || d.scriptName || '';
  const file = url ? url.split('/').pop().split('?')[0] : '';
  return fn || file ? `${e.name} ${file}${fn ? `:${fn}` : ''}` : e.name;
}

function analyse(events, origin, window) {
  const names = new Map();  // pid:tid -> thread name
  const procs = new Map();  // pid -> process name
  for (const e of events) {
    if (e.ph !== 'M') continue;
    if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.name === 'process_name') procs.set(e.pid, e.args.name);
  }
  const tasks = tasksByThread(events);
  // The page's renderer: the process whose main thread ran scripts of the served site.
  const ours = new Set();
  for (const e of events) {
    const d = e.args && (e.args.data || e.args.beginData);
    if (d && typeof d.url === 'string' && d.url.startsWith(origin) && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain') ours.add(e.pid);
  }
  const pid = [...ours][0];
  const [t0, t1] = window;
  const span = (t1 - t0) / 1e6;
  const inWin = (t) => t.ts >= t0 && t.end <= t1;
  const threads = [];
  for (const [key, list] of tasks) {
    const [p] = key.split(':').map(Number);
    const w = list.filter(inWin);
    const cpu = w.reduce((a, t) => a + t.cpu, 0) / 1000;
    const wall = w.reduce((a, t) => a + t.wall, 0) / 1000;
    if (cpu < 1 && wall < 1) continue;
    threads.push({ key, pid: p, process: p === pid ? 'page' : (procs.get(p) || `pid ${p}`), thread: names.get(key) || key,
      cpu_ms: +cpu.toFixed(1), cpu_ms_per_s: +(cpu / span).toFixed(1), busy: +(wall / 1000 / span).toFixed(3), tasks: w.length,
      longest_ms: +Math.max(0, ...w.map((t) => t.wall / 1000)).toFixed(1) });
  }
  threads.sort((a, b) => b.cpu_ms - a.cpu_ms);
  const mainKey = threads.find((t) => t.pid === pid && t.thread === 'CrRendererMain');
  const main = mainKey ? tasks.get(mainKey.key).filter(inWin) : [];
  // What the main thread's tasks did: CPU of each task's first-level events, by label.
  const inner = events.filter((e) => e.ph === 'X' && e.name !== TASK && mainKey && `${e.pid}:${e.tid}` === mainKey.key && e.ts >= t0 && e.ts <= t1)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const firstLevel = (t, list) => {
    const out = [];
    let end = -1;
    for (const e of list) {
      if (e.ts < t.ts || e.ts + e.dur > t.end) continue;
      if (e.ts >= end) { out.push(e); end = e.ts + e.dur; }
    }
    return out;
  };
  // inner events per task, in one pass (both lists are sorted by start)
  const perTask = new Map();
  let j = 0;
  for (const t of main) {
    while (j < inner.length && inner[j].ts < t.ts) j++;
    const list = [];
    for (let i = j; i < inner.length && inner[i].ts < t.end; i++) list.push(inner[i]);
    perTask.set(t, list);
  }
  const byWhat = new Map();
  for (const t of main) {
    let rest = t.cpu;
    for (const e of firstLevel(t, perTask.get(t))) {
      const c = e.tdur ?? e.dur;
      rest -= c;
      const k = label(e);
      byWhat.set(k, (byWhat.get(k) || 0) + c);
    }
    byWhat.set('(task, outside any event)', (byWhat.get('(task, outside any event)') || 0) + Math.max(0, rest));
  }
  const what = [...byWhat].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, us]) => ({ what: k, cpu_ms_per_s: +(us / 1000 / span).toFixed(2) }));
  const describe = (t) => {
    const by = new Map();
    for (const e of perTask.get(t)) { const k = label(e); by.set(k, (by.get(k) || 0) + (e.tdur ?? e.dur)); }
    return [...by].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}`).join('; ');
  };
  const longest = [...main].sort((a, b) => b.wall - a.wall).slice(0, TOP)
    .map((t) => ({ at_s: +((t.ts - t0) / 1e6).toFixed(2), wall_ms: +(t.wall / 1000).toFixed(1), cpu_ms: +(t.cpu / 1000).toFixed(1), did: describe(t) }));
  return { span_s: +span.toFixed(2), threads, main_what: what, main_longest: longest };
}

async function run(server, workers) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-trace-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => { for (const v of e.value) events.push(v); });
    const [file, hash] = LINK.split('#');
    const url = `${server.url}${file}#${hash ? `${hash}&` : ''}workers=${workers}`;
    const stepNow = () => page.evaluate(() => ({ step: window.superpose.lastFrame ? window.superpose.lastFrame.step : 0, done: !!window.superpose.done, workers: window.superpose.client.workers }));
    const start = () => cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
    let s0, nav = 0;
    if (TO_END) {
      await start();
      nav = Date.now();
      await page.goto(url);
      s0 = { step: 0 };
    } else {
      await page.goto(url);
      await page.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 120000 });
      await page.waitForTimeout(WARMUP * 1000);
      await start();
      s0 = await stepNow();
    }
    const wall0 = Date.now();
    if (TO_END) await page.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.done && !window.superpose.lastFrame.running, null, { timeout: 900000, polling: 500 });
    else await page.waitForTimeout(SECONDS * 1000);
    const s1 = await stepNow();
    const seconds = (Date.now() - wall0) / 1000;
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await complete;
    if (SAVE) fs.writeFileSync(SAVE.replace(/(\.json)?$/, `-w${workers}.json`), JSON.stringify({ traceEvents: events }));
    // The window: the trace's own extent (from its first to its last top-level task).
    const tops = events.filter((e) => e.ph === 'X' && e.name === TASK);
    const window = [Math.min(...tops.map((e) => e.ts)), Math.max(...tops.map((e) => e.ts + e.dur))];
    const a = analyse(events, server.url, window);
    const steps = s1.step - s0.step;
    const mainT = a.threads.find((t) => t.process === 'page' && t.thread === 'CrRendererMain');
    return { link: url.slice(server.url.length), workers: s1.workers, steps, seconds: +seconds.toFixed(2), steps_per_s: +(steps / seconds).toFixed(1),
      ...(TO_END ? { seconds_to_end: +((Date.now() - nav) / 1000).toFixed(2) } : {}),
      main_cpu_ms_per_1000_steps: mainT && steps > 0 ? +(mainT.cpu_ms / steps * 1000).toFixed(1) : null, problems, ...a };
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

function print(r) {
  console.log(`\n== ${r.link}: ${r.workers} worker(s), ${r.steps} steps in ${r.seconds} s (${r.steps_per_s} steps/s${r.seconds_to_end ? `, ${r.seconds_to_end} s from navigation to the end` : ''}); trace window ${r.span_s} s`);
  console.log(`main thread: ${r.main_cpu_ms_per_1000_steps} CPU ms per 1000 steps`);
  console.log('thread                          process        CPU ms/s   busy(wall)  tasks  longest ms');
  for (const t of r.threads.slice(0, 14)) {
    console.log(`${t.thread.padEnd(32)}${String(t.process).slice(0, 14).padEnd(15)}${String(t.cpu_ms_per_s).padStart(8)}   ${String(t.busy).padStart(9)}  ${String(t.tasks).padStart(5)}  ${String(t.longest_ms).padStart(9)}`);
  }
  console.log('main thread CPU by what its tasks did (ms per s):');
  for (const w of r.main_what) console.log(`  ${String(w.cpu_ms_per_s).padStart(7)}  ${w.what}`);
  console.log('longest main-thread tasks:');
  for (const t of r.main_longest) console.log(`  at ${t.at_s} s: ${t.wall_ms} ms wall, ${t.cpu_ms} ms CPU: ${t.did}`);
  if (r.problems.length) console.log(`problems: ${r.problems.slice(0, 3).join('; ')}`);
}

async function main() {
  const { serve } = await import(path.join(REPO, 'tests/web/serve.mjs'));
  const server = await serve(SITE);
  const out = [];
  try {
    for (const w of WORKERS) {
      const r = await run(server, w);
      out.push(r);
      if (!JSON_OUT) print(r);
    }
  } finally {
    await server.close();
  }
  if (JSON_OUT) console.log(JSON.stringify(out));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
