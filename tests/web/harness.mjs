// harness.mjs: what the browser tests share: serve the built site on a free loopback port and
// drive Debian's Chromium with playwright-core (never a downloaded browser), with the flags of
// ../shared/notes/toolchain.md and a fresh, empty profile. Each page records every console
// error, uncaught exception, failed request and HTTP error, so "no console errors" is strict.
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
    /** Open a page and record its problems in page.problems. */
    async open(rel, { waitReady = true } = {}) {
      const page = await context.newPage();
      page.problems = [];
      page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => page.problems.push(`exception: ${e.message}`));
      page.on('requestfailed', (r) => page.problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`));
      page.on('response', (r) => { if (r.status() >= 400) page.problems.push(`HTTP ${r.status()}: ${r.url()}`); });
      page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
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

export const stepOf = (page) => page.evaluate(() => (window.superpose.lastFrame ? window.superpose.lastFrame.step : -1));

export function screenshotPath(name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}
