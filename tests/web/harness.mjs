// harness.mjs: what the browser tests share: serve the built site on a free loopback port and
// drive Debian's Chromium with playwright-core (never a downloaded browser), with the flags of
// ../shared/notes/toolchain.md and a fresh, empty profile. Each page records every console
// error, uncaught exception, failed request and HTTP error, so "no console errors" is strict.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD = path.resolve(REPO, process.env.SUPERPOSE_BUILD || 'build');
export const SITE = path.resolve(REPO, process.env.SUPERPOSE_SITE || path.join(BUILD, 'wasm/site'));
export const SCREENSHOTS = path.join(BUILD, 'screenshots');
export const CHROMIUM = process.env.SUPERPOSE_CHROMIUM || '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Serve the site and launch Chromium. Returns {url, open(pathAndHash), close()}. */
export async function startLab() {
  for (const f of ['index.html', 'embed.html', 'lib/worker.js', 'lab.js', 'lab.wasm']) {
    if (!fs.existsSync(path.join(SITE, f))) {
      throw new Error(`${path.join(SITE, f)} is missing: build the site first (./scripts/build), or set SUPERPOSE_SITE`);
    }
  }
  const server = await serve(SITE);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'superpose-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  return {
    url: server.url,
    context,
    /** Open a page and record its problems in page.problems; `before(page)` runs before the
     * navigation (a trace started from it sees the page load). */
    async open(rel, { waitReady = true, before = null } = {}) {
      const page = await context.newPage();
      page.problems = [];
      page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
      page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
      page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
      if (before) await before(page);
      page.navigatedAt = Date.now();
      await page.goto(server.url + rel);
      if (waitReady) await page.waitForFunction(() => window.superpose && window.superpose.config, null, { timeout: 60000 });
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Read the page's exposed state (JSON-safe: typed arrays become plain arrays). */
export function readState(page) {
  return page.evaluate(() => {
    const S = window.superpose;
    const f = S.lastFrame;
    const buffers = {};
    if (f) for (const [k, v] of Object.entries(f.buffers)) buffers[k] = { shape: v.shape, data: Array.from(v.data) };
    return {
      state: S.state, notes: S.notes, config: S.config, running: S.running, done: S.done, errors: S.errors,
      firstFrameMs: S.firstFrameMs, frameCount: S.frameCount,
      frame: f ? { step: f.step, totalSteps: f.totalSteps, lossTotal: f.lossTotal, running: f.running, done: f.done, buffers } : null,
    };
  });
}

/** Wait until the text of `selector` matches `re` and return it: a page that draws a frame over
 * several animation frames (lm.html's stages) shows a frame's numbers after its lastFrame is set,
 * later still on a loaded machine. On time-out the assertion names the text last seen. */
export async function waitForText(page, selector, re, timeout = 60000) {
  try {
    await page.waitForFunction(([sel, src, flags]) => {
      const el = document.querySelector(sel);
      return !!el && new RegExp(src, flags).test(el.textContent);
    }, [selector, re.source, re.flags], { timeout, polling: 200 });
  } catch (e) {
    if (!/Timeout/i.test(e.message)) throw e;
  }
  const text = await page.locator(selector).textContent();
  assert.match(text, re, `${selector} after ${timeout} ms`);
  return text;
}

/** The page's own main-thread tasks of a startTrace result over 20 ms of CPU, longest first
 * (heavy; worst: the longest's CPU, 0 if none), and the harness's (ours: their CPU). */
export function heavyTasks(tasks) {
  const heavy = tasks.filter((t) => t.cpu > 20 && !t.harness).sort((a, b) => b.cpu - a.cpu);
  const ours = tasks.filter((t) => t.cpu > 20 && t.harness).map((t) => t.cpu);
  return { heavy, ours, worst: heavy.length ? heavy[0].cpu : 0 };
}

export const stepOf = (page) => page.evaluate(() => (window.superpose.lastFrame ? window.superpose.lastFrame.step : -1));

export function screenshotPath(name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

/**
 * Chromium's trace of the page's main thread (CDP Tracing): every task's thread CPU time (tdur),
 * which, unlike its wall time, does not grow when other processes take the cores. Returns stop():
 * the page's main-thread tasks [{at, cpu, wall, did?, harness?, posted?}] (ms; harness: playwright's own
 * evaluation or a bare message from the browser process, not the page's work; posted: the
 * Chromium function that posted it). Used by responsive.test.mjs, lm.test.mjs and longtask.test.mjs.
 */
export async function startTrace(page, origin) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => { for (const v of e.value) events.push(v); });
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents',
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] } });
  return async () => {
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
    const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`);
    const tasks = new Map(mains.map((k) => [k, []]));
    const inner = new Map(mains.map((k) => [k, []]));
    for (const e of events) {
      if (e.ph !== 'X') continue;
      const key = `${e.pid}:${e.tid}`;
      if (!tasks.has(key)) continue;
      if (e.name === 'ThreadControllerImpl::RunTask') tasks.get(key).push({ ts: e.ts, end: e.ts + e.dur, wallMs: e.dur / 1000, cpuMs: (e.tdur ?? e.dur) / 1000, src: e.args && e.args.src_func });
      else inner.get(key).push(e);
    }
    // The page's renderer main thread: a CrRendererMain that ran the page's scripts (an event
    // naming a URL of the served site), the busiest if several did.
    const cpu = (list) => list.reduce((sum, t) => sum + t.cpuMs, 0);
    const ours = (k) => inner.get(k).some((e) => { const d = e.args && (e.args.data || e.args.beginData); return !!(d && typeof d.url === 'string' && d.url.startsWith(origin)); });
    const [key] = [...tasks.keys()].filter(ours).sort((a, b) => cpu(tasks.get(b)) - cpu(tasks.get(a)));
    const main = key ? tasks.get(key) : [];
    const t0 = Math.min(...main.map((t) => t.ts));
    const within = (t) => inner.get(key).filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.end);
    // The test's own work in the page: playwright's evaluations (waitForFunction, click, evaluate)
    // arrive over CDP as scripts without a URL of the site.
    const harness = (t) => within(t).some((e) => e.name === 'EvaluateScript' && !((e.args.data || {}).url || '').startsWith(origin));
    // A task that only received a message from the browser process (IPC plumbing, nothing of the
    // page's script, style, layout or paint inside): DevTools' own commands arrive so (CI once
    // saw one of 547 ms of CPU at the first evaluation of a page, with nothing under it).
    const IPC = new Set(['Receive mojo message', 'SimpleWatcher::OnHandleReady']);
    // (At least one such message: a task with no inner event at all is the page's too, the
    // garbage collector's sweeping of what its scripts left, posted by cppgc's Sweeper.)
    const ipcOnly = (t) => { const w = within(t); return w.length > 0 && w.every((e) => IPC.has(e.name)); };
    // What a task did: its inner events' CPU by name (a script's URL and function where known).
    const what = (t) => {
      const by = new Map();
      for (const e of within(t)) {
        const d = e.args && e.args.data;
        const where = d && (d.functionName || d.url) ? ` ${(d.url || '').split('/').pop()}:${d.functionName || ''}` : '';
        const name = `${e.name}${where}`;
        by.set(name, (by.get(name) || 0) + (e.tdur ?? e.dur) / 1000);
      }
      return [...by].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ');
    };
    // Who posted the task (Chromium's source function, its last two names): a task with no inner
    // event of the page is told apart by it (the garbage collector's sweeping, a mojo message).
    const posted = (t) => String(t.src || '').replace(/\(.*$/, '').split(' ').pop().split('::').slice(-2).join('::');
    return main.map((t) => ({ at: Math.round((t.ts - t0) / 1000), cpu: +t.cpuMs.toFixed(1), wall: Math.round(t.wallMs),
      ...(t.cpuMs > 20 ? { did: what(t), harness: harness(t) || ipcOnly(t), posted: posted(t) } : {}) }));
  };
}
