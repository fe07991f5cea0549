// web/examples/course-notes.html (issue 7): three live demos in iframes between paragraphs;
// each demo trains, the iframes are sized from the demos' size messages, and no request leaves
// the local server (the static site needs nothing from the internet).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startLab, SITE, screenshotPath } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

test('course notes: three embedded demos train, auto-size, and nothing leaves localhost', async () => {
  const requests = [];
  const onRequest = (r) => requests.push(r.url());
  lab.context.on('request', onRequest);
  const page = await lab.open('examples/course-notes.html', { waitReady: false });
  await page.setViewportSize({ width: 900, height: 1200 });
  const hasSae = fs.existsSync(path.join(SITE, 'sae.html'));

  const frameOf = async (id) => {
    const handle = await page.waitForSelector(`#${id}`);
    for (let i = 0; i < 100; i++) {
      const f = await handle.contentFrame();
      if (f && f.url() !== 'about:blank') return f;
      await page.waitForTimeout(100);
    }
    throw new Error(`${id} has no frame`);
  };
  const trains = async (id, minStep) => {
    const f = await frameOf(id);
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    // the suppression/SAE demos navigate from embed.html to their page: wait for the final one
    const frame = await (async () => {
      for (let i = 0; i < 300; i++) {
        const g = await (await page.$(`#${id}`)).contentFrame();
        try {
          const ok = await g.evaluate((n) => !!(window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.step >= n), minStep);
          if (ok) return g;
        } catch { /* navigating */ }
        await page.waitForTimeout(200);
      }
      return f;
    })();
    const step = await frame.evaluate(() => (window.superpose && window.superpose.lastFrame ? window.superpose.lastFrame.step : -1));
    assert.ok(step >= minStep, `${id} trains (step ${step})`);
    return frame;
  };

  const toy = await trains('demo-toy', 500);
  assert.match(toy.url(), /embed\.html#/);
  assert.equal(await toy.evaluate(() => window.superpose.config.n_features), 5);
  const sup = await trains('demo-suppression', 100);
  assert.match(sup.url(), /suppression\.html#/);
  assert.equal(await sup.evaluate(() => window.superpose.state.c), 0.6);
  if (hasSae) {
    const sae = await trains('demo-sae', 50);
    assert.match(sae.url(), /sae\.html#/);
  } else {
    // Not built yet (issue 5's page): the demo says so instead of showing a 404 page.
    console.log('# NOTE: sae.html is not in this build: demo 3 (SAE comparison) shows its message, not checked for training');
    const f = await frameOf('demo-sae');
    await f.waitForFunction(() => window.superposeEmbed && window.superposeEmbed.error, null, { timeout: 20000 });
    assert.match(await f.evaluate(() => document.querySelector('.embed-missing').textContent), /sae experiment is not part of this build/);
  }

  // auto-size: the host set each iframe's height from the demo's size message
  for (const id of ['demo-toy', 'demo-suppression']) {
    const h = await page.locator(`#${id}`).getAttribute('data-autosized');
    assert.ok(h && Number(h) >= 120, `${id} auto-sized (${h})`);
  }
  await page.screenshot({ path: screenshotPath('course-notes.png'), fullPage: true });

  lab.context.off('request', onRequest);
  const origin = new URL(lab.url).origin;
  const outside = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(outside, [], 'every request goes to the local server');
  assert.ok(requests.some((u) => /\/lab(-toy)?\.wasm$/.test(u)), 'the demos loaded the wasm module locally');
  // embed.html#experiment=suppression navigates inside its iframe: the first page's loads in
  // flight are cancelled (net::ERR_ABORTED), which is not a problem; anything else is.
  // Without sae.html, the kit's probe for it is a 404 (and Chromium logs it).
  const problems = page.problems.filter((p) => !/net::ERR_ABORTED$/.test(p))
    .filter((p) => hasSae || !(/HTTP 404: .*\/sae\.html$/.test(p) || /status of 404/.test(p)));
  assert.deepEqual(problems, [], problems.join('\n'));
  await page.close();
});

// issue 14 #10: every demo shows what its caption says, sized to its content, at 1440 px and at
// 390 px: the SAE demo goes through the embed kit (no masthead, no note about `embed`, an "open
// in full lab" link, toy-model activations as its caption says); nothing in a demo is cut off
// sideways; the "open in full lab" link covers nothing (it covered the suppression demo's c).
// One page, at 1440 px and then narrowed to 390 px (each frame re-sizes to its new content).
test('course notes at 1440 px, then 390 px: each demo is embedded through the kit, fits, and shows its caption', async () => {
  const page = await lab.open('examples/course-notes.html', { waitReady: false });
  await page.setViewportSize({ width: 1440, height: 900 });
  const settled = async (id, path) => {
    for (let i = 0; i < 300; i++) {
      const g = await (await page.$(`#${id}`)).contentFrame();
      try {
        if (g && g.url().includes(path) && await g.evaluate(() => !!(window.superpose && window.superpose.lastFrame))) return g;
      } catch { /* navigating */ }
      await page.waitForTimeout(200);
    }
    throw new Error(`${id} never showed ${path}`);
  };
  const frames = {
    'demo-toy': await settled('demo-toy', 'embed.html'),
    'demo-suppression': await settled('demo-suppression', 'suppression.html'),
    'demo-sae': await settled('demo-sae', 'sae.html'),
  };
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(1500);  // size messages after the first frames (or the resize)
    for (const [id, f] of Object.entries(frames)) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      const m = await f.evaluate(() => {
        const head = document.querySelector('header.masthead');
        const notes = document.getElementById('notes');
        // the content's height (the document's scrollHeight is never below the frame's height)
        const body = document.body;
        const height = body.getBoundingClientRect().bottom + window.scrollY + (parseFloat(getComputedStyle(body).marginBottom) || 0);
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, height,
          masthead: !!head && getComputedStyle(head).display !== 'none',
          notes: notes && !notes.hidden ? notes.textContent : '', embedded: !!(window.superposeEmbed && window.superposeEmbed.embedded) };
      });
      assert.ok(m.scrollWidth <= m.innerWidth, `${id} at ${width}: content ${m.scrollWidth} px in a ${m.innerWidth} px frame`);
      assert.equal(m.masthead, false, `${id}: no masthead`);
      assert.equal(m.notes, '', `${id}: no note (e.g. "unknown setting 'embed'")`);
      assert.equal(m.embedded, true, `${id}: embedded through the kit`);
      const h = Number(await page.locator(`#${id}`).getAttribute('data-autosized'));
      assert.ok(Math.abs(h - Math.min(4000, m.height)) <= 4, `${id}: the frame is sized to its content (${h} px frame, ${m.height} px content)`);
    }
    // The SAE demo: its caption says toy-model activations, and that is what it trains on.
    assert.match(await page.locator('#demo-sae + figcaption').textContent(), /toy-model activations/);
    assert.equal(await frames['demo-sae'].evaluate(() => window.superpose.state.data), 'toy');
    for (const id of ['demo-suppression', 'demo-sae']) {
      assert.equal(await frames[id].locator('.embed-open').count(), 1, `${id}: an "open in full lab" link`);
    }
    // The link covers nothing: not the c readout, nor anything of the toolbar.
    const overlap = await frames['demo-suppression'].evaluate(() => {
      const a = document.querySelector('.embed-open').getBoundingClientRect();
      const hits = [];
      for (const e of document.querySelectorAll('.bar *, #c-value')) {
        const b = e.getBoundingClientRect();
        if (b.width && b.height && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push(e.id || e.tagName);
      }
      return hits;
    });
    assert.deepEqual(overlap, [], 'the "open in full lab" link covers nothing');
    await page.screenshot({ path: screenshotPath(`course-notes-${width}.png`), fullPage: true });
  }
  await page.close();
});
