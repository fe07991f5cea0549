// Every page of the registry (web/lib/pages.js, issue 13) in a real browser: its nav links every
// other page; at a phone's 390 px nothing overflows sideways (document width ≤ window width),
// the toolbar and controls come before the panels, the toolbar is on screen and its run controls
// stay on screen when scrolled; every page opens
// in its embed mode through the kit (embed.html#experiment=NAME) without its masthead or a note
// about the kit's keys. Also issue 14 #12: the notes box says "clamped to" for a clamped value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, screenshotPath } from '../harness.mjs';
import { PAGES } from '../../../web/lib/pages.js';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

// embed.html#experiment=NAME navigates to the page: the first page's loads in flight are
// cancelled (net::ERR_ABORTED), which is not a problem; anything else is.
const real = (problems) => problems.filter((p) => !/net::ERR_ABORTED$/.test(p));
const noProblems = (page) => assert.deepEqual(real(page.problems), [], `problems on the page:\n${page.problems.join('\n')}`);

// What "ready" means differs by page (the steer page trains before it is ready); the page's
// state and first configure are enough here.
const ready = (page) => page.waitForFunction(() => window.superpose && window.superpose.config, null, { timeout: 60000 });

test('every page has the nav of the registry: every other page linked, itself named', async () => {
  for (const p of PAGES) {
    const page = await lab.open(p.file, { waitReady: false });
    await ready(page);
    const nav = page.locator('header.masthead nav.pages');
    assert.equal(await nav.count(), 1, `${p.file} has one nav`);
    const links = await nav.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, PAGES.filter((q) => q !== p).map((q) => q.file), `${p.file} links every other page`);
    assert.equal(await nav.locator('[aria-current="page"]').textContent(), p.title);
    noProblems(page);
    await page.close();
  }
});

test('at 390 px every page fits the width, its toolbar and controls come before its panels', async () => {
  for (const p of PAGES) {
    const page = await lab.open(p.file, { waitReady: false });
    await page.setViewportSize({ width: 390, height: 844 });
    await ready(page);
    await page.waitForTimeout(1500);  // a few frames: tables and plots have their content
    const m = await page.evaluate(() => {
      const top = (el) => (el ? el.getBoundingClientRect().top + window.scrollY : NaN);
      const bar = document.querySelector('.bar[role="toolbar"]');
      const r = bar.getBoundingClientRect();
      const panel = document.querySelector('section.panel, #panels');
      const controls = document.querySelector('#controls, #presets');
      // the widest element, to name it when the page overflows
      let widest = null;
      for (const e of document.body.querySelectorAll('*')) {
        const b = e.getBoundingClientRect();
        if (b.right > window.innerWidth + 0.5 && (!widest || b.right > widest.right)) widest = { right: b.right, what: `${e.tagName.toLowerCase()}#${e.id}.${e.className}` };
      }
      return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, widest,
        barLeft: r.left, barRight: r.right, barTop: top(bar), panelTop: top(panel), controlsTop: top(controls) };
    });
    await page.screenshot({ path: screenshotPath(`phone-${p.name}.png`), fullPage: true });
    assert.ok(m.scrollWidth <= m.innerWidth, `${p.file}: ${m.scrollWidth} px wide in a ${m.innerWidth} px window (widest: ${JSON.stringify(m.widest)})`);
    assert.ok(m.barLeft >= 0 && m.barRight <= m.innerWidth, `${p.file}: the toolbar is on screen`);
    assert.ok(m.barTop < m.panelTop, `${p.file}: the toolbar comes before the panels`);
    if (!Number.isNaN(m.controlsTop)) assert.ok(m.controlsTop < m.panelTop, `${p.file}: the presets and controls come before the panels`);
    // The toolbar stays reachable: scrolled to the bottom, its run controls (play, step, reset, the
    // status) are still on screen (on a phone they sit at the screen's bottom edge, lib/style.css).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const run = await page.evaluate(() => ['play', 'step', 'reset', 'status'].map((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return { id, top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: window.innerHeight, w: window.innerWidth };
    }));
    for (const r of run) assert.ok(r.top >= 0 && r.bottom <= r.h && r.left >= 0 && r.right <= r.w, `${p.file}: #${r.id} on screen when scrolled to the end: ${JSON.stringify(r)}`);
    // and nothing is hidden under them: the page's last line ends above the run controls
    const ends = await page.evaluate(() => ({ foot: (document.querySelector('footer') || document.querySelector('main')).getBoundingClientRect().bottom,
      run: document.querySelector('.bar .run').getBoundingClientRect().top }));
    assert.ok(ends.foot <= ends.run + 1, `${p.file}: the page's end is not under the run controls: ${JSON.stringify(ends)}`);
    noProblems(page);
    await page.close();
  }
});

test('every page embeds through the kit: embed.html#experiment=NAME, no masthead, no note', async () => {
  for (const p of PAGES) {
    const page = await lab.open(`embed.html#experiment=${p.name}`, { waitReady: false });
    await page.waitForURL((u) => u.pathname.endsWith(`/${p.embed.split('#')[0]}`), { timeout: 20000 });
    await ready(page);
    const s = await page.evaluate(() => ({
      embedded: window.superposeEmbed && window.superposeEmbed.embedded,
      masthead: !!document.querySelector('header.masthead') && getComputedStyle(document.querySelector('header.masthead')).display !== 'none',
      notes: window.superpose.notes,
      link: document.querySelector('.embed-open') ? document.querySelector('.embed-open').getAttribute('href') : null,
    }));
    assert.equal(s.embedded, true, `${p.name}: the kit knows it is embedded`);
    assert.equal(s.masthead, false, `${p.name}: no masthead`);
    assert.deepEqual(s.notes, [], `${p.name}: the kit's keys never reach the page's parser`);
    if (p.name !== 'toy') assert.match(s.link, new RegExp(`${p.file}`), `${p.name}: an "open in full lab" link`);
    noProblems(page);
    await page.close();
  }
});

test('notes: a clamped value says "clamped to", not "the defaults are used instead"', async () => {
  const page = await lab.open('index.html#n=3&m=5');
  const notes = page.locator('#notes');
  await notes.waitFor({ state: 'visible', timeout: 5000 });
  const text = await notes.textContent();
  assert.match(text, /clamped to m=3/);
  assert.doesNotMatch(text, /defaults are used instead/);
  const list = await lab.open('index.html#p=abc');
  const li = await list.locator('#notes li').allTextContents();
  assert.ok(li.length > 0 && li.every((t) => !/using\s*$/.test(t)), `no note ends in a blank: ${li}`);
  noProblems(page);
  noProblems(list);
  await page.close();
  await list.close();
});
