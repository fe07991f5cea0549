// Hostile input in a real browser (issue 9): URL hashes with script-like values, broken escapes,
// huge numbers, NaN and thousands of keys, on every page. Each page must load, fall back to valid
// values, show what it ignored as text (never as HTML: nothing injected runs or renders), raise
// no exception and no dialog, and still train.
// Not here: the parser's invariants over many thousands of inputs (tests/web/unit/state.fuzz.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, readState } from '../harness.mjs';

let lab;
before(async () => { lab = await startLab(); });
after(async () => { if (lab) await lab.close(); });

const noProblems = (page) => assert.deepEqual(page.problems, [], `problems on the page:\n${page.problems.join('\n')}`);

// Values that would run or render if any of them reached innerHTML, a URL or eval.
const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '"><svg onload="window.__pwned=2">',
  '</script><script>window.__pwned=3</script>',
  'javascript:window.__pwned=4',
  '${window.__pwned=5}',
  '{{constructor.constructor("window.__pwned=6")()}}',
];
const enc = encodeURIComponent;

/** Nothing from the hash became markup, ran, or navigated. */
async function assertNothingInjected(page) {
  const r = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll('img[src="x"], svg[onload]').length,
    inlineScripts: [...document.scripts].filter((s) => !s.src).length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
  }));
  assert.equal(r.pwned, undefined, 'a payload ran');
  assert.equal(r.imgs, 0, 'a payload rendered as an element');
  assert.equal(r.inlineScripts, 0, 'an inline script appeared');
  assert.equal(r.handlers, 0, 'an inline event handler appeared');
}

function hostileToyHash() {
  const keys = ['n', 'm', 'k', 'pmax', 'pmin', 'p', 'decay', 'corr', 'model', 'lr', 'batch', 'steps', 'sched',
    'seed', 'sel', 'autoplay', 'controls', 'views', 'preset'];
  const parts = keys.map((k, i) => `${k}=${enc(PAYLOADS[i % PAYLOADS.length])}`);
  parts.push(`${enc(PAYLOADS[0])}=${enc(PAYLOADS[1])}`, 'n=NaN', 'm=1e309', 'lr=-Infinity', 'batch=99999999999999999999',
    'seed=-0', 'p=NaN,1e999,-1', '%E0%A4%A=1', 'k=%', '__proto__=1', 'constructor=1');
  return `#${parts.join('&')}`;
}

for (const file of ['index.html', 'embed.html']) {
  test(`${file}: a hash of script-like values, NaN and huge numbers falls back to valid values, as text`, async () => {
    const page = await lab.open(`${file}${hostileToyHash()}`);
    const s = await readState(page);
    assert.equal(s.config.n_features, 5, 'n fell back to its default');
    assert.ok(s.config.n_hidden >= 1 && s.config.n_hidden <= s.config.n_features);
    assert.ok(s.notes.length > 10, 'what was ignored is explained');
    await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 60000 });
    await assertNothingInjected(page);
    if (file === 'index.html') {
      // The notes show the payloads as literal text.
      const text = await page.locator('#notes').innerText();
      assert.match(text, /<img src=x/);
    }
    noProblems(page);
    await page.close();
  });
}

test('index.html: thousands of keys and a 100 kB value still load, train and stay responsive', async () => {
  const many = Array.from({ length: 3000 }, (_, i) => `k${i}=${i}`).join('&');
  const page = await lab.open(`index.html#${many}&n=7&m=3&x=${'9'.repeat(100000)}`);
  const s = await readState(page);
  assert.equal(s.config.n_features, 7);
  assert.equal(s.config.n_hidden, 3);
  await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 60000 });
  // The page still answers input: pausing works.
  assert.equal(await page.evaluate(() => typeof window.superpose.state), 'object');
  await assertNothingInjected(page);
  noProblems(page);
  await page.close();
});

test('index.html: a batch too large for the browser is clamped before it reaches the core', async () => {
  const page = await lab.open('index.html#n=100&m=10&k=32&batch=65536&autoplay=0');
  const s = await readState(page);
  assert.ok(s.config.batch_size * 32 * 100 <= 16 * 1024 * 1024, `batch ${s.config.batch_size}`);
  assert.match(s.notes.join('\n'), /too large for the browser/);
  assert.deepEqual(s.errors, []);
  noProblems(page);
  await page.close();
});

for (const file of ['steer.html', 'suppression.html']) {
  test(`${file}: a hostile hash loads with defaults or a text error, nothing injected`, async () => {
    const keys = ['n', 'm', 'p', 'seed', 'strength', 'direction', 'input', 'target', 'mode', 'l1', 'fix', 'magnitude', 'steps'];
    const parts = keys.map((k, i) => `${k}=${enc(PAYLOADS[i % PAYLOADS.length])}`);
    parts.push('n=NaN', 'm=1e309', 'p=-Infinity', `${enc(PAYLOADS[0])}=1`, '%E0%A4%A=1');
    const page = await lab.open(`${file}#${parts.join('&')}`, { waitReady: false });
    await page.waitForFunction(() => window.superpose && (window.superpose.config || window.superpose.errors.length > 0), null, { timeout: 60000 });
    await page.waitForTimeout(500);
    await assertNothingInjected(page);
    const errors = await page.evaluate(() => window.superpose.errors);
    for (const e of errors) assert.equal(typeof e, 'string');
    // Every hostile value fell back to its default before reaching the core (page-states.js), and
    // the note lists the page's keys that were ignored, as text.
    assert.deepEqual(errors, []);
    const s = await readState(page);
    if (file === 'steer.html') {
      assert.deepEqual([s.config.direction, s.config.strength, s.config.input, s.config.target, s.config.mode], ['latent:0', 1, 'zero', 'latent', 'zero']);
      await page.waitForFunction(() => window.superpose.ready, null, { timeout: 60000 });
    } else {
      assert.deepEqual([s.config.l1, s.config.feature_probability, s.config.n_features, s.config.seed], [0.4, 0.5, 1, 0]);
      await page.waitForFunction(() => window.superpose.lastFrame && window.superpose.lastFrame.step > 0, null, { timeout: 60000 });
    }
    const heading = await page.locator('#notes strong').textContent();
    for (const k of file === 'steer.html' ? ['direction', 'strength', 'n', 'm', 'p', 'seed', 'input', 'target', 'mode'] : ['p', 'n', 'seed']) {
      assert.match(heading, new RegExp(`[:,] ${k}[,;]`), `${k} is named as ignored`);
    }
    noProblems(page);
    await page.close();
  });
}

// The SAE and grokking pages: every key of their tables (web/lib/page-states.js) with a payload,
// numbers out of range, NaN, enormous sizes (latents, width, p), a file source that cannot come
// from a link, thousands of junk keys and a 100 kB value. Each page falls back to its defaults
// for those keys, says which ones as text, injects nothing, stays responsive, and trains.
const HOSTILE_PAGES = [
  {
    file: 'sae.html',
    keys: ['data', 'archs', 'l1', 'k', 'latents', 'sweep', 'seed'],
    extra: ['latents=1e309', 'latents=4294967296', 'k=NaN', 'l1=-Infinity', 'archs=relu,<b>x</b>', 'data=npy',
      'sweep=2', 'seed=99999999999999999999'],
    defaults: (c) => { assert.deepEqual(c.archs, ['relu', 'topk']); assert.equal(c.n_latents, 512); assert.equal(c.k, 5); assert.equal(c.l1, 0.3); assert.equal(c.data, 'synthetic'); },
    trained: () => { const f = window.superpose.lastFrame; return f && f.step > 0 && f.buffers.metrics; },
  },
  {
    file: 'grok.html',
    keys: ['p', 'width', 'frac', 'wd', 'lr', 'model', 'loss', 'seed'],
    extra: ['p=1000000007', 'width=1e9', 'width=NaN', 'frac=1e-400', 'wd=-0.5', 'lr=Infinity', 'model=__proto__', 'seed=-1'],
    defaults: (c) => { assert.deepEqual([c.p, c.width, c.train_fraction, c.weight_decay, c.lr, c.model, c.loss], [97, 500, 0.3, 1, 0.001, 'mlp', 'mse']); },
    trained: () => { const f = window.superpose.lastFrame; return f && f.step > 0 && f.buffers.history_epoch; },
  },
  {
    // The prompt and target are text: a payload passes the table (printable characters) and the
    // session refuses it (not the toy world's words), and the page falls back to the default with
    // a note; every other key falls back in the table.
    file: 'lm.html',
    keys: ['layers', 'd', 'heads', 'ctx', 'batch', 'steps', 'lr', 'seed', 'temp', 'sseed', 'abl'],
    extra: [`prompt=${'x'.repeat(5000)}`, `prompt=${enc(PAYLOADS[0])}`, `target=${enc(PAYLOADS[1])}`, 'layers=1e309', 'd=4294967296',
      'heads=NaN', 'ctx=-Infinity', 'steps=99999999999999999999', 'temp=NaN'],
    defaults: (c) => { assert.deepEqual([c.n_layers, c.d_model, c.n_heads, c.context, c.batch_size, c.steps, c.lr, c.seed, c.temperature, c.ablation, c.prompt, c.target],
      [2, 64, 4, 24, 64, 2000, 0.003, 0, 1, 'mean', 'the weather in california is', '']); },
    trained: () => { const f = window.superpose.lastFrame; return f && f.step > 0 && f.buffers.attention; },
  },
];

for (const P of HOSTILE_PAGES) {
  test(`${P.file}: payloads, NaN, enormous sizes and junk keys fall back to the defaults, as text; the page trains`, async () => {
    const parts = P.keys.map((k, i) => `${k}=${enc(PAYLOADS[i % PAYLOADS.length])}`);
    const junk = Array.from({ length: 3000 }, (_, i) => `j${i}=${i}`).join('&');
    const hash = `#${parts.join('&')}&${P.extra.join('&')}&${enc(PAYLOADS[1])}=${enc(PAYLOADS[0])}&%E0%A4%A=1&__proto__=1&constructor=1&${junk}&x=${'9'.repeat(100000)}`;
    const page = await lab.open(`${P.file}${hash}`);
    const s = await readState(page);
    P.defaults(s.config);
    assert.deepEqual(s.errors, [], 'no error: every bad value fell back before reaching the core');
    // What was ignored is listed as text: every key of the table, with the payloads shown literally.
    const notes = page.locator('#notes');
    assert.equal(await notes.isHidden(), false);
    const heading = await notes.locator('strong').textContent();
    for (const k of P.keys) assert.match(heading, new RegExp(`[:,] ${k}[,;]`), `${k} is named as ignored`);
    assert.match(await notes.textContent(), /<img src=x onerror=/, 'a payload is shown as literal text');
    assert.equal(await page.locator('#notes img, #notes b, #notes svg, #notes script').count(), 0);
    // The URL now holds the defaults' short form: none of the hostile text survives in it.
    assert.doesNotMatch(decodeURIComponent(page.url().split('#')[1] || ''), /img|script|svg|9999|NaN|proto/);
    await page.waitForFunction(P.trained, null, { timeout: 90000 });
    // Responsive while training: a round trip through the page's event loop is quick.
    const t0 = Date.now();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    assert.ok(Date.now() - t0 < 2000, `the page answered after ${Date.now() - t0} ms`);
    const step0 = await page.evaluate(() => window.superpose.lastFrame.step);
    await page.waitForFunction((s0) => window.superpose.lastFrame.step > s0, step0, { timeout: 60000 });
    await assertNothingInjected(page);
    noProblems(page);
    await page.close();
  });
}

test('sae.html and grok.html: a hostile hash typed into the address bar later is handled the same way', async () => {
  for (const [file, key, good] of [['sae.html', 'k', 'k=7'], ['grok.html', 'width', 'width=64&p=31']]) {
    const page = await lab.open(file);
    await page.evaluate(({ key, payload }) => { location.hash = `#${key}=${payload}&${key}=1e999`; }, { key, payload: enc(PAYLOADS[2]) });
    await page.waitForFunction(() => !document.getElementById('notes').hidden, null, { timeout: 10000 });
    assert.match(await page.locator('#notes strong').textContent(), new RegExp(`: ${key};`));
    await page.evaluate((h) => { location.hash = `#${h}`; }, good);
    await page.waitForFunction((k) => window.superpose.config && window.superpose.config[k === 'k' ? 'k' : 'width'] === (k === 'k' ? 7 : 64), key, { timeout: 30000 });
    await assertNothingInjected(page);
    noProblems(page);
    await page.close();
  }
});
