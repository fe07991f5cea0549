// Page hardening in a real browser (issue 9): every page carries the Content-Security-Policy
// (own scripts and styles, 'wasm-unsafe-eval', no inline script, no external origin) and works
// under it, and the embed page trains inside <iframe sandbox="allow-scripts"> (an opaque origin:
// the worker starts from a blob: URL, web/lib/client.js startWorker; the site is served with
// Access-Control-Allow-Origin: *, as GitHub Pages does, so module scripts and lab.wasm load).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);

for (const file of ['index.html', 'embed.html', 'steer.html', 'suppression.html']) {
  test(`${file} has the Content-Security-Policy, no inline script, and trains under it`, async () => {
    const page = await lab.open(`${file}`, { waitReady: false });
    const csp = await page.evaluate(() => {
      const m = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      return m ? m.content : null;
    });
    assert.ok(csp, 'a CSP meta tag');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'self'"]);
    assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
    assert.ok(!csp.includes('unsafe-inline') && !/https?:/.test(csp), 'no inline script, no external origin');
    assert.equal(await page.evaluate(() => [...document.scripts].filter((s) => !s.src).length), 0);
    // Inline script is refused by the policy.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.appendChild(s);
    });
    assert.equal(await page.evaluate(() => window.__inline), undefined, 'an inline script ran');
    page.problems = page.problems.filter((p) => !/Content Security Policy/.test(p));  // that refusal logs
    await page.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.step > 0
      && window.superpose.errors.length === 0, null, { timeout: 60000 });
    noProblems(page);
    await page.close();
  });
}

test('embed.html trains inside <iframe sandbox="allow-scripts"> (opaque origin)', async () => {
  const page = await lab.open('index.html#autoplay=0');
  await page.evaluate(() => {
    const f = document.createElement('iframe');
    f.setAttribute('sandbox', 'allow-scripts');
    f.src = 'embed.html#preset=pentagon&steps=3000';
    f.width = 600;
    f.height = 400;
    document.body.prepend(f);
  });
  await page.waitForFunction(() => document.querySelector('iframe[sandbox]') !== null);
  let inner = null;
  for (let i = 0; i < 100 && !inner; i++) {
    inner = page.frames().find((f) => f.url().includes('embed.html'));
    if (!inner) await page.waitForTimeout(100);
  }
  assert.ok(inner, 'the iframe loads');
  await inner.waitForFunction(() => window.superpose && window.superpose.lastFrame && window.superpose.lastFrame.step > 100, null, { timeout: 60000 });
  const r = await inner.evaluate(() => ({ origin: self.origin, errors: window.superpose.errors, n: window.superpose.config.n_features }));
  assert.equal(r.origin, 'null', 'the frame is really sandboxed');
  assert.deepEqual(r.errors, []);
  assert.equal(r.n, 5);
  noProblems(page);
  await page.close();
});
