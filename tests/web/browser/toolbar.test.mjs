// The one toolbar (web/lib/toolbar.js, its HTML from web/lib/page-shell.js; issue 13) on every page
// of the registry, in a real browser: the same buttons everywhere, and each acts on the page's
// worker: reset → step 0 and stopped; step → exactly one chunk more (the page's chunk, named on
// the button); play → the step grows; pause → it stops; the status says "step N / total" and where
// the run stands; copy link answers; save all → one .zip with a PNG for every shown panel (each
// panel's save menu feeds it), which python3's zipfile reads and tests. Every shown panel has a
// save menu with PNG, JSON and CSV. The toy page also plays and pauses with the space bar.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startLab, screenshotPath } from '../harness.mjs';
import { PAGES } from '../../../web/lib/pages.js';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);
const step = (page) => page.evaluate(() => window.superpose.lastFrame.step);
const stopped = (page) => page.waitForFunction(() => window.superpose.lastFrame && !window.superpose.lastFrame.running
  && !window.superpose.running && !window.superpose.pausing, null, { timeout: 60000 });
// Reset, and wait for the reset's own frame: a page at step 0 before the click (the lm page's first
// frame of training takes a while) or a frame sent before the worker read the reset (step 4,
// running) must not pass for it. A frame after the click at step 0 is the reset's.
async function reset(page) {
  const before = await page.evaluate(() => window.superpose.frameCount);
  await page.click('#reset');
  await page.waitForFunction((n) => window.superpose.frameCount > n && window.superpose.lastFrame.step === 0, before, { timeout: 60000 });
  await stopped(page);
}

// Small links where a page has them, so every case stays short; the toy page starts paused. The
// steer page's default model (5 features) trains its 3,000 steps in well under a second, so a
// pause could land after the end: a larger model (48 features in 24 dims) keeps it running.
const LINKS = {
  toy: 'index.html#preset=importance&autoplay=0&steps=100000',
  suppression: 'suppression.html#c=0.6',
  sae: 'sae.html#data=toy&archs=relu,topk',
  steer: 'steer.html#n=48&m=24',
  grok: 'grok.html#p=31&width=64&frac=0.5',
  lm: 'lm.html',
};
const BUTTONS = ['play', 'step', 'reset', 'step-count', 'step-total', 'progress', 'speed', 'status', 'copy-link', 'save-all'];

for (const p of PAGES) {
  test(`${p.name}: the toolbar's buttons are there and act: reset, step, play, pause, save all`, async () => {
    const page = await lab.open(LINKS[p.name]);
    for (const id of BUTTONS) assert.equal(await page.locator(`.bar[role="toolbar"] #${id}`).count(), 1, `${p.name}: #${id} in the toolbar`);

    // reset: step 0, stopped, and the status says so
    await reset(page);
    assert.equal(await step(page), 0, `${p.name}: reset → step 0`);
    assert.equal(await page.locator('#step-count').textContent(), '0');
    assert.match(await page.locator('#status').textContent(), /^at (step|epoch) 0/, `${p.name}: the status at step 0`);
    assert.equal(await page.locator('#play').textContent(), '▶ play');
    const total = await page.evaluate(() => window.superpose.lastFrame.totalSteps);
    assert.ok(total > 0);
    assert.match(await page.locator('#step-total').textContent(), new RegExp(`^ / ${total.toLocaleString('en-US')}$`));

    // step: exactly the chunk the button names
    const chunk = Number(/^step \+(\d+)$/.exec(await page.locator('#step').textContent())[1]);
    assert.ok(chunk >= 1, `${p.name}: a chunk`);
    await page.click('#step');
    await page.waitForFunction((c) => window.superpose.lastFrame.step === c, chunk, { timeout: 60000 });
    await stopped(page);
    assert.equal(await step(page), chunk, `${p.name}: step → +${chunk}`);
    assert.equal(await page.locator('#step-count').textContent(), String(chunk));
    assert.match(await page.locator('#status').textContent(), /^paused/, `${p.name}: the status after a step`);

    // play: the step grows; pause (the same button, pressed as soon as it has grown) stops it
    const grew = await page.evaluate(async (c) => {
      const S = window.superpose;
      document.getElementById('play').click();
      const t0 = performance.now();
      const speed = () => document.getElementById('speed').textContent;
      // until the step has grown and the status shows the speed (or half the run is gone)
      while ((S.lastFrame.step <= c || (speed() === '' && S.lastFrame.step < S.lastFrame.totalSteps / 2)) && performance.now() - t0 < 60000) {
        await new Promise((r) => setTimeout(r, 5));
      }
      const at = S.lastFrame.step;
      const seen = { at, running: document.getElementById('play').getAttribute('aria-pressed'), speed: speed(), status: document.getElementById('status').textContent };
      document.getElementById('play').click();
      return seen;
    }, chunk);
    assert.ok(grew.at > chunk, `${p.name}: play → the step grows (${grew.at})`);
    assert.equal(grew.running, 'true', `${p.name}: the play button shows it runs`);
    assert.match(grew.speed, /^[\d.,]+ steps\/s · /, `${p.name}: the status has the speed while it runs`);
    assert.match(grew.status, /^training…/, `${p.name}: the status says it trains`);
    await stopped(page);
    const paused = await step(page);
    assert.ok(paused < total, `${p.name}: paused before the end (${paused} of ${total})`);
    await page.waitForTimeout(500);
    assert.equal(await step(page), paused, `${p.name}: pause → no steps after it`);
    assert.equal(await page.locator('#step-count').textContent(), String(paused));
    assert.equal(await page.locator('#play').textContent(), '▶ play');

    // copy link answers (the clipboard may be refused in a headless browser: then it says so)
    // (the answer comes when the clipboard's promise settles, not within the click)
    await page.click('#copy-link');
    await page.waitForFunction(() => document.getElementById('copy-link').textContent !== 'copy link', null, { timeout: 5000 })
      .catch(() => {});
    assert.match(await page.locator('#copy-link').textContent(), /^(link copied|copy the address bar)$/);

    // every shown panel has a save menu; save all zips a PNG of each
    const shown = await page.evaluate(() => [...document.querySelectorAll('section.panel')]
      .filter((s) => !s.closest('[hidden]') && s.getBoundingClientRect().height > 0)
      .map((s) => ({ id: s.id, kinds: [...s.querySelectorAll('.export-menu [data-export]')].map((b) => b.dataset.export) })));
    assert.ok(shown.length >= 2, `${p.name}: panels shown: ${JSON.stringify(shown)}`);
    for (const s of shown) for (const k of ['png', 'json', 'csv']) assert.ok(s.kinds.includes(k), `${p.name}: panel ${s.id} saves ${k}: ${s.kinds}`);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#save-all')]);
    assert.match(dl.suggestedFilename(), p.name === 'toy' ? /^toy_.*_figures\.zip$/ : new RegExp(`^${p.name}.*_all\\.zip$`));
    const listing = JSON.parse(execFileSync('python3', ['-c', `
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
print(json.dumps([{"name": i.filename, "head": z.read(i.filename)[:8].hex()} for i in z.infolist()]))`, await dl.path()], { encoding: 'utf8' }));
    const pngs = listing.filter((e) => e.name.endsWith('.png'));
    assert.equal(pngs.length, shown.length, `${p.name}: one PNG per shown panel: ${pngs.map((e) => e.name)} for ${shown.map((s) => s.id)}`);
    for (const e of pngs) assert.equal(e.head, '89504e470d0a1a0a', `${e.name} is a PNG`);
    // vector panels also as SVG (the steer page's panels are HTML bars and a table: PNG only)
    const svgs = listing.filter((e) => e.name.endsWith('.svg'));
    if (p.name !== 'steer') assert.ok(svgs.length >= 1, `${p.name}: SVGs of the vector panels`);
    for (const e of svgs) assert.equal(Buffer.from(e.head, 'hex').toString(), '<?xml ve', `${e.name} is SVG`);
    // (the toy lab names its files after what they hold, e.g. _WtW.png; the other pages after the panel)
    if (p.name !== 'toy') for (const s of shown) assert.ok(pngs.some((e) => e.name.endsWith(`_${s.id}.png`)), `${p.name}: ${s.id}'s PNG`);

    // reset again: back to step 0 from the middle of a run
    await reset(page);
    assert.equal(await page.locator('#step-count').textContent(), '0');

    // at 1440 and 390 px: the toolbar's controls sit side by side or wrap, never over each other,
    // and stay inside the window (screenshots for a look: build/screenshots/toolbar-NAME-WIDTH.png)
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      const groups = await page.evaluate(() => {
        // the toolbar's items: its own children, and those of its run and share groups (the run
        // group is one item of the bar, unless a phone puts it at the screen's bottom edge)
        const bar = document.querySelector('.bar[role="toolbar"]');
        const box = (e) => ({ what: `${e.tagName.toLowerCase()}#${e.id}.${e.className}`, r: e.getBoundingClientRect().toJSON() });
        const fixed = (e) => getComputedStyle(e).position === 'fixed';
        return [[...bar.children].filter((e) => !fixed(e)), [...bar.querySelector('.run').children], [...bar.querySelector('.share').children]]
          .map((items) => items.map(box).filter(({ r }) => r.width > 0 && r.height > 0));
      });
      for (const { what, r } of groups.flat()) assert.ok(r.left >= 0 && r.right <= width + 0.5, `${p.name} at ${width} px: ${what} inside the window (${r.left}–${r.right})`);
      for (const boxes of groups) {
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].r, b = boxes[j].r;
            const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
            assert.ok(!overlap, `${p.name} at ${width} px: ${boxes[i].what} overlaps ${boxes[j].what}`);
          }
        }
      }
      await page.screenshot({ path: screenshotPath(`toolbar-${p.name}-${width}.png`) });
    }
    await page.setViewportSize({ width: 1400, height: 1000 });

    if (p.name === 'toy') {
      // the space bar plays and pauses (not while a control has the keyboard)
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press(' ');
      await page.waitForFunction(() => window.superpose.lastFrame.step > 0, null, { timeout: 30000 });
      await page.keyboard.press(' ');
      await stopped(page);
      const s = await step(page);
      await page.waitForTimeout(400);
      assert.equal(await step(page), s, 'space paused');
    }
    noProblems(page);
    await page.close();
  });
}
