// The page's number handling under extreme values (issue 14 #7: `index.html#pmin=1e-60` hung the
// tab for good: p became 0 in the float32 frame, 1/p = ∞, and the scatter view's decade loop ran
// to ∞). Every axis/tick function (web/views/axis.js), every formatter, and every view's update
// and draw (on a fake 2-D context, tests/web/fake-dom.mjs; and into export.js's SvgContext) is fed
// 0, −0, 5e-324, 1e-300, 1e-60, float32's smallest values, 1e308, ±Infinity, NaN and seeded mixes
// of them, in hashes, plain arrays and Float32Arrays. Each call must return within a time bound,
// throw nothing, hand the context only finite numbers, and draw a bounded number of labels.
// The cases run in a worker thread, so a case that never returns fails the test (naming the case)
// instead of hanging it. SUPERPOSE_VIEWS_FUZZ_MIXES=N sets the number of random mixes per view.
// What it is not: a browser test (tests/web/browser/responsive.test.mjs opens the links).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const HANG_MS = 10000;      // a case still running after this never returns (a loop to ∞)
const SLOW_MS = 2000;       // wall time of one case (a draw takes < 5 ms idle; 2 s allows 2 cores at load 20)
const MAX_CALLS = 20000;    // context calls one draw may make: the load-independent bound on its work
const MAX_TEXTS = 400;      // labels one draw may write

const EXTREMES = [0, -0, 1, -1, 0.5, 5e-324, -5e-324, 1e-300, 1e-60, 1e-45, 1.4e-45, 1.17549435e-38, 1e-38,
  3.4028235e38, 1e38, 1e300, 1e308, -1e308, 1.7976931348623157e308, Infinity, -Infinity, NaN, 2 ** 53, -(2 ** 31)];

if (isMainThread) {
  test('axis, formatters and every view return in time on extreme numbers (worker-run)', async () => {
    const worker = new Worker(new URL(import.meta.url));
    let current = 'loading the views';
    let timer = null;
    const result = await new Promise((resolve) => {
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => { worker.terminate(); resolve({ hung: current }); }, HANG_MS);
      };
      worker.on('message', (m) => {
        if (m.case) { current = m.case; arm(); } else { clearTimeout(timer); resolve(m); }
      });
      worker.on('error', (e) => { clearTimeout(timer); resolve({ crashed: String(e && e.stack) }); });
      arm();
    });
    await worker.terminate();
    assert.equal(result.hung, undefined, `no return within ${HANG_MS} ms: ${result.hung}`);
    assert.equal(result.crashed, undefined, result.crashed);
    assert.ok(result.cases > 1000, `ran ${result.cases} cases`);
    assert.deepEqual(result.failures, [], `${result.failures.length} failures (first 30 shown)`);
    assert.ok(result.slowest.ms < SLOW_MS, `slowest case ${result.slowest.name}: ${result.slowest.ms.toFixed(1)} ms`);
  });
} else {
  const { installFakeDom, fakeParent, FakeContext2D } = await import('../fake-dom.mjs');
  installFakeDom();
  const axis = await import('../../../web/views/axis.js');
  const { fmt } = await import('../../../web/views/canvas.js');
  const { svgOfView } = await import('../../../web/export/export.js');
  const { siteImport } = await import('../site-schema.mjs');  // the worker's own module hooks
  const { parseHash, featureProbabilities } = await siteImport('lib/state.js');
  const { ArrowsView } = await import('../../../web/views/arrows.js');
  const { HeatmapView } = await import('../../../web/views/heatmap.js');
  const { NeuronStackView } = await import('../../../web/views/neurons.js');
  const { NormBarsView } = await import('../../../web/views/normbars.js');
  const { DimBarsView } = await import('../../../web/views/dimbars.js');
  const { DimScatterView } = await import('../../../web/views/scatter.js');
  const { LossChartView } = await import('../../../web/views/linechart.js');
  const { XYPlotView } = await import('../../../web/views/xyplot.js');
  const { DictionaryView } = await import('../../../web/views/dictionary.js');
  const { SmallMultiplesView } = await import('../../../web/views/grid.js');

  const failures = [];
  let cases = 0;
  let slowest = { name: '', ms: 0 };
  const fail = (name, why) => { if (failures.length < 30) failures.push(`${name}: ${why}`); };
  const show = (v) => (Object.is(v, -0) ? '-0' : String(v));

  /** Run one case: announce it (so a hang is named), time it, catch what it throws. */
  function run(name, fn) {
    cases++;
    parentPort.postMessage({ case: name });
    const t0 = performance.now();
    try { fn(); } catch (e) { fail(name, `threw ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`); }
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { name, ms };
  }

  const goodLabel = (s) => typeof s === 'string' && s.length > 0 && s.length < 40 && !/NaN|undefined|Infinity|null/.test(s);

  // ---- axis.js: scales and ticks ------------------------------------------------------------
  for (const type of ['linear', 'log']) {
    for (const a of EXTREMES) {
      for (const b of EXTREMES) {
        run(`${type} scale [${show(a)}, ${show(b)}]`, () => {
          const s = axis.scale(type, a, b);
          if (!(Number.isFinite(s.lo) && Number.isFinite(s.hi) && s.lo < s.hi)) fail(`${type} [${show(a)}, ${show(b)}]`, `range ${s.lo}..${s.hi}`);
          if (type === 'log' && !(s.lo > 0)) fail(`log [${show(a)}, ${show(b)}]`, `lo ${s.lo}`);
          for (const count of [0, 1, 2, 5, 40, 1e9, NaN, -3]) {
            const ticks = s.ticks(count);
            if (ticks.length > axis.MAX_TICKS + 1) fail(`${type} [${show(a)}, ${show(b)}] ticks(${count})`, `${ticks.length} ticks`);
            for (const t of ticks) {
              if (!Number.isFinite(t.v) || !goodLabel(t.label)) fail(`${type} [${show(a)}, ${show(b)}] ticks(${count})`, `tick ${t.v} "${t.label}"`);
            }
          }
          for (const v of EXTREMES) { const f = s.map(v); if (Number.isNaN(f) && Number.isFinite(v) && (type === 'linear' || v > 0)) fail(`${type} map(${show(v)})`, 'NaN'); }
          const ctx = new FakeContext2D();
          axis.drawChart(ctx, 300, 200, { x: s, y: s, xTitle: 'x (units)', yTitle: 'y (units)', legend: [{ label: 'a', color: '#000' }] });
          if (ctx.bad.length) fail(`drawChart ${type} [${show(a)}, ${show(b)}]`, ctx.bad.join('; '));
          if (ctx.texts.length > MAX_TEXTS || ctx.calls > MAX_CALLS) fail(`drawChart ${type} [${show(a)}, ${show(b)}]`, `${ctx.texts.length} labels, ${ctx.calls} calls`);
        });
      }
    }
  }

  // ---- formatters ---------------------------------------------------------------------------
  run('formatters', () => {
    for (const v of EXTREMES) {
      for (const d of [0, 1, 2, 3, 6, 21, -1, NaN]) { const s = fmt(v, d); if (typeof s !== 'string' || s.length > 24) fail(`fmt(${show(v)}, ${d})`, `"${s}"`); }
      for (const step of EXTREMES) { const s = axis.formatTick(v, step); if (typeof s !== 'string' || s.length > 24) fail(`formatTick(${show(v)}, ${show(step)})`, `"${s}"`); }
      const p = axis.formatPower(v);
      if (typeof p !== 'string' || p.length > 24) fail(`formatPower(${show(v)})`, `"${p}"`);
    }
    // The labels a reader sees are the numbers' own: a log axis of epochs reads 1, 10, 100, 1k.
    assert.deepEqual(axis.logScale(1, 1500).ticks(6).map((t) => t.label), ['1', '10', '100', '1k']);
    assert.deepEqual(axis.linearScale(0, 1).ticks(5).map((t) => t.label), ['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    assert.equal(axis.formatTick(-0, 0.5), '0');
  });

  // ---- every view ---------------------------------------------------------------------------
  function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const rand = mulberry32(20261128);
  const pick = () => (rand() < 0.5 ? EXTREMES[Math.floor(rand() * EXTREMES.length)] : (rand() - 0.5) * 4);
  // A value source: every entry the same extreme, or a seeded mix; as float32 (what frames carry)
  // or float64 (what the pages compute).
  const fill = (len, v, f32) => {
    const a = f32 ? new Float32Array(len) : new Array(len);
    for (let i = 0; i < len; i++) a[i] = v === undefined ? pick() : v;
    return a;
  };

  const VIEWS = [
    { name: 'arrows', make: (el) => new ArrowsView(el, { size: 230 }),
      data: (v, f) => [[5, 2], [1, 1], [3, 1], [5, 3]].map(([n, m]) => ({ W: fill(m * n, v, f), n, m })) },
    { name: 'arrows (tile)', make: (el) => new ArrowsView(el, { size: 72, small: true }),
      data: (v, f) => [{ W: fill(10, v, f), n: 5, m: 2 }] },
    { name: 'heatmap', make: (el) => new HeatmapView(el, { size: 200 }),
      data: (v, f) => [1, 5, 40].map((n) => ({ WtW: fill(n * n, v, f), b: fill(n, v, f), n })) },
    { name: 'neurons', make: (el) => new NeuronStackView(el, { width: 300, height: 200 }),
      data: (v, f) => [[5, 2], [20, 60]].map(([n, m]) => ({ W: fill(m * n, v, f), n, m })) },
    { name: 'norms', make: (el) => new NormBarsView(el, { width: 250 }),
      data: (v, f) => [1, 5, 100].map((n) => ({ norms: fill(n, v, f), interference: fill(n, v, f), n })) },
    { name: 'dims', make: (el) => new DimBarsView(el, { width: 260, height: 190 }),
      data: (v, f) => [1, 5, 100].map((n) => ({ D: fill(n, v, f), n })) },
    { name: 'scatter', make: (el) => new DimScatterView(el, { width: 300, height: 210, onSelect: () => {} }),
      data: (v, f) => [[1, 5], [7, 5], [32, 3]].map(([K, n]) => ({ K, n, p: fill(K, v, f), dpf: fill(K, v, f), D: fill(K * n, v, f), sel: 0 })) },
    { name: 'loss', make: (el) => new LossChartView(el, { width: 300, height: 170 }),
      data: (v, f) => [{ steps: [0, 10, 20], losses: [Array.from(fill(3, v, f))], K: 1, sel: 0 },
        { steps: Array.from(fill(50, v, f)), losses: [Array.from(fill(50, v, f)), Array.from(fill(50, v, f))], K: 2, sel: 1 }] },
    { name: 'xyplot', make: (el) => new XYPlotView(el, { width: 300, height: 220, legend: [{ label: 'train', color: '#1971c2' }] }),
      data: (v, f) => [{ lines: [{ xy: fill(40, v, f), color: '#111' }], points: [{ x: v ?? pick(), y: v ?? pick(), label: 'trained' }, { x: 0.5, y: 0.5, label: 'gated' }] },
        { lines: [{ xy: fill(40, v, f) }], x: [v ?? pick(), v ?? pick()], y: [v ?? pick(), 1] }] },
    { name: 'xyplot (log x, log y)', make: (el) => new XYPlotView(el, { width: 300, height: 220, xScale: 'log', yScale: 'log', x: [1, 1500], y: [1e-5, 10] }),
      data: (v, f) => [{ lines: [{ xy: fill(60, v, f) }], points: [{ x: v ?? pick(), y: v ?? pick(), label: 'p' }] },
        { lines: [{ xy: fill(20, v, f) }], x: [v ?? pick(), 10], y: [1e-300, v ?? pick()] }] },
    { name: 'dictionary', make: (el) => new DictionaryView(el, { width: 420 }),
      data: (v, f) => [[3, 8], [40, 4]].map(([rows, d]) => ({ truth: fill(rows * d, v, f), matched: fill(rows * d, v, f), cosine: fill(rows, v, f), rows, d })) },
  ];
  const MIXES = Number(process.env.SUPERPOSE_VIEWS_FUZZ_MIXES || 30);

  for (const spec of VIEWS) {
    const view = spec.make(fakeParent());
    const sources = [...EXTREMES.map((v) => ({ label: show(v), v })), ...Array.from({ length: MIXES }, (_, i) => ({ label: `mix ${i}`, v: undefined }))];
    for (const src of sources) {
      for (const f32 of [true, false]) {
        for (const data of spec.data(src.v, f32)) {
          const name = `${spec.name} ← ${src.label} (${f32 ? 'float32' : 'float64'}${data.n !== undefined ? `, n ${data.n}` : ''})`;
          run(name, () => {
            view.update(data);
            const { w, h } = view.size(data);
            const ctx = new FakeContext2D();
            view.draw(ctx, w, h, data);
            if (ctx.bad.length) fail(name, ctx.bad.join('; '));
            if (ctx.texts.length > MAX_TEXTS || ctx.calls > MAX_CALLS) fail(name, `${ctx.texts.length} labels, ${ctx.calls} calls`);
            const bad = ctx.texts.filter((s) => /NaN|undefined|Infinity/.test(s));
            if (bad.length) fail(name, `labels ${bad.slice(0, 3).join(', ')}`);
            const own = view.c.ctx;
            if (own.bad.length) { fail(`${name} (own canvas)`, own.bad.join('; ')); own.bad.length = 0; }
            const svg = svgOfView(view, data);
            if (typeof svg !== 'string' || !svg.includes('</svg>')) fail(name, 'no SVG');
          });
        }
      }
    }
    run(`${spec.name} reset`, () => view.reset());
  }

  run('grid (tiles)', () => {
    const grid = new SmallMultiplesView(fakeParent(), { tile: 92, onSelect: () => {} });
    for (const v of [...EXTREMES, undefined]) {
      for (const [K, m, n] of [[7, 2, 5], [3, 5, 20]]) {
        grid.update({ K, n, m, W: fill(K * m * n, v, true), WtW: fill(K * n * n, v, true), p: fill(K, v, true), dpf: fill(K, v, true), sel: 0 });
      }
    }
  });

  // ---- the issue's links, from the hash to the views ----------------------------------------
  for (const hash of ['pmin=1e-60', 'p=1,1e-300', 'pmin=5e-324&k=32', 'pmax=1e-300&pmin=1e-300&k=3', 'p=1e-38,1e-45,1.4e-45', 'pmin=1e-38']) {
    run(`#${hash} → scatter and grid`, () => {
      const { state } = parseHash(hash);
      const p = Float32Array.from(featureProbabilities(state));  // as the frame carries them
      const K = p.length;
      const n = state.n;
      const data = { K, n, p, dpf: fill(K, 0.5, true), D: fill(K * n, 0.4, true), sel: K - 1 };
      const view = new DimScatterView(fakeParent(), { width: 300, height: 210 });
      view.update(data);
      if (view.c.ctx.bad.length) fail(`#${hash}`, view.c.ctx.bad.join('; '));
      new SmallMultiplesView(fakeParent()).update({ K, n, m: 2, W: fill(K * 2 * n, 0.3, true), WtW: fill(K * n * n, 0.1, true), p, dpf: data.dpf, sel: 0 });
      for (const v of p) fmt(v, 2);
    });
  }

  parentPort.postMessage({ cases, failures, slowest });
}
