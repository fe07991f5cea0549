// web/export/export.js and web/export/figures.js without a browser: .npy bytes by numpy's format spec, CSV,
// JSON, file names, the SVG recorder's output for the canvas calls the views make, and the
// download queue that keeps to Chromium's burst limit (10 downloads per second per frame).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toNpy, toCSV, toJSON, fileStem, SvgContext, download, pendingDownloads, dataUrlBytes, svgOfView, canSvg } from '../../../web/export/export.js';
import { installFakeDom, fakeParent } from '../fake-dom.mjs';
import { toyStem, toyNpy } from '../../../web/export/figures.js';

test('toNpy writes a numpy 1.0 float32 C-order file', () => {
  const bytes = toNpy(new Float32Array([1, -2.5, 3, 0.25, 5, 6]), [2, 3]);
  assert.deepEqual([...bytes.slice(0, 8)], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const hlen = bytes[8] | (bytes[9] << 8);
  assert.equal((10 + hlen) % 64, 0, 'header padded to 64 bytes');
  const header = String.fromCharCode(...bytes.slice(10, 10 + hlen));
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  const dv = new DataView(bytes.buffer, 10 + hlen);
  assert.equal(bytes.length, 10 + hlen + 24);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => dv.getFloat32(4 * i, true)), [1, -2.5, 3, 0.25, 5, 6]);
  const one = toNpy([7], [1]);
  assert.match(String.fromCharCode(...one.slice(10, 10 + (one[8] | (one[9] << 8)))), /'shape': \(1,\)/);
  assert.throws(() => toNpy([1, 2], [3]), /needs 3 values, got 2/);
});

test('toCSV is long-form name,index,value; toJSON turns typed arrays into arrays', () => {
  const csv = toCSV({ W: new Float32Array([0.5, -1]), n: 2, label: 'x', losses: [[1, 2], [3]] });
  assert.equal(csv, 'name,index,value\nW,0,0.5\nW,1,-1\nn,0,2\nlosses,0,1\nlosses,1,2\nlosses,2,3\n');
  assert.deepEqual(JSON.parse(toJSON({ W: new Float32Array([0.5]), bad: NaN, f: () => 1 })), { W: [0.5], bad: null });
});

test('file names carry the experiment parameters', () => {
  assert.equal(fileStem('toy', { n: 5, m: 2, p: 0.05, seed: 0 }, 'WtW'), 'toy_n5_m2_p0.05_seed0_WtW');
  assert.equal(fileStem('sae', { arch: 'top/k<>' }), 'sae_archtopk');
  const cfg = { model: 'relu', n_features: 5, n_hidden: 2, n_instances: 1, feature_probability: [0.05], seed: 0 };
  assert.equal(toyStem(cfg, 0, 'heatmap'), 'toy_n5_m2_p0.05_seed0_WtW');
  const sweep = { ...cfg, model: 'relu-hidden', n_instances: 3, feature_probability: [1, 0.1, 0.01], seed: 4 };
  assert.equal(toyStem(sweep, 1, 'norms'), 'toy_relu-hidden_n5_m2_k3_inst1_p0.1_seed4_norms');
  assert.equal(toyStem(sweep, 1, 'grid'), 'toy_relu-hidden_n5_m2_k3_p1-0.01_seed4_grid');
  assert.deepEqual(toyNpy('heatmap', { WtW: new Float32Array(4), n: 2 }).shape, [2, 2]);
  assert.deepEqual(toyNpy('loss', { steps: [1, 2], losses: [[1, 2], [3, 4]] }), { values: [1, 2, 3, 4], shape: [2, 2] });
  assert.equal(toyNpy('loss', { steps: [], losses: [] }), null);
});

test('SvgContext records paths, transforms, dashes and escaped text as SVG', () => {
  const c = new SvgContext(100, 50);
  c.strokeStyle = '#123456';
  c.lineWidth = 2;
  c.setLineDash([3, 2]);
  c.beginPath();
  c.moveTo(1, 2);
  c.lineTo(10, 20);
  c.stroke();
  c.save();
  c.translate(50, 25);
  c.fillStyle = 'rgb(1,2,3)';
  c.fillRect(0, 0, 4, 4);
  c.rotate(Math.PI / 2);
  c.font = '600 11px system-ui, "Segoe UI", sans-serif';
  c.textAlign = 'center';
  c.fillText('a<b & "c"', 0, 0);
  c.restore();
  c.beginPath();
  c.arc(10, 10, 5, 0, 2 * Math.PI);
  c.fill();
  const svg = c.toString();
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100" height="50"/);
  assert.match(svg, /<path d="M1 2L10 20" fill="none" stroke="#123456" stroke-width="2" stroke-dasharray="3 2"\/>/);
  assert.match(svg, /<path d="M50 25L54 25L54 29L50 29Z" fill="rgb\(1,2,3\)"\/>/);
  assert.match(svg, /<text transform="matrix\(0 1 -1 0 50 25\)" x="0" y="0" text-anchor="middle"[^>]*>a&lt;b &amp; &quot;c&quot;<\/text>/);
  assert.match(svg, /style="font: 600 11px system-ui, &quot;Segoe UI&quot;, sans-serif"/);
  assert.match(svg, /<path d="M15 10(L[0-9.-]+ [0-9.-]+){32}" fill="#000"\/>/);  // fillStyle restored
  // balanced tags: every element opened is closed
  const opened = (svg.match(/<(svg|text)\b/g) || []).length;
  const closed = (svg.match(/<\/(svg|text)>/g) || []).length;
  assert.equal(opened, closed);
});

test('download keeps to Chromium\'s burst rule: in order, and none is lost', async () => {
  // A minimal DOM whose anchor click is Blink's LocalFrame::ShouldThrottleDownload: a frame that
  // has started 10 downloads since its window's start drops the next one unless more than 1 s has
  // passed since that start, and then that one opens a new window. The window opens inside the
  // click, after URL.createObjectURL, which is a round trip to the browser and can be slow under
  // load (the CI run of 5cf8c0a lost the 11th and 12th of twelve saves).
  const started = [];
  const dropped = [];
  const blink = { count: 0, start: 0 };
  const g = globalThis;
  const saved = { document: g.document, create: URL.createObjectURL, revoke: URL.revokeObjectURL, setTimeout: g.setTimeout };
  g.document = {
    createElement: () => ({
      style: {},
      click() {
        const now = performance.now();
        if (blink.count === 0) blink.start = now;
        else if (blink.count >= 10) {
          if (now - blink.start <= 1000) { dropped.push(this.download); return; }
          blink.count = 0;
          blink.start = now;
        }
        blink.count++;
        started.push({ name: this.download, at: now });
      },
      remove() {},
    }),
    body: { appendChild() {} },
  };
  let slowUrls = 0;  // the next this many URL.createObjectURL calls take 150 ms each
  URL.createObjectURL = () => {
    if (slowUrls > 0) { slowUrls--; const t = performance.now(); while (performance.now() - t < 150); }
    return 'blob:x';
  };
  URL.revokeObjectURL = () => {};
  // Each started download revokes its link's URL 30 s later: those timers are cleared at the end
  // (else they hold node's event loop, and this file, for 30 s after its last test).
  const revokes = [];
  g.setTimeout = (f, ms, ...args) => {
    const t = saved.setTimeout(f, ms, ...args);
    if (ms >= 30000) revokes.push(t);
    return t;
  };
  const sleep = (ms) => new Promise((r) => saved.setTimeout(r, ms));
  const settle = async (n) => {
    const t0 = performance.now();
    while (started.length + dropped.length < n && performance.now() - t0 < 8000) await sleep(20);
  };
  try {
    // 25 at once, the first one's URL slow: 10 start in the caller's task, the rest wait.
    slowUrls = 1;
    for (let i = 0; i < 25; i++) download(`file ${i}`, `f${i}.txt`, 'text/plain');
    assert.equal(started.length, 10, 'the first 10 start at once, in the caller\'s task');
    assert.equal(pendingDownloads(), 15);
    await settle(25);
    assert.deepEqual(dropped, []);
    assert.deepEqual(started.map((s) => s.name), Array.from({ length: 25 }, (_, i) => `f${i}.txt`));
    assert.equal(pendingDownloads(), 0);
    // Nine, a pause longer than a window, then a burst of twelve with slow URLs: Blink's count
    // runs on from the nine (it resets only at its 11th), so the burst's second save is its 11th.
    await sleep(1200);
    started.length = 0;
    for (let i = 0; i < 9; i++) download('x', `a${i}.txt`);
    await sleep(1200);
    slowUrls = 3;
    for (let i = 0; i < 12; i++) download('x', `b${i}.txt`);
    await settle(21);
    assert.deepEqual(dropped, []);
    assert.equal(started.length, 21);
    assert.equal(revokes.length, 25 + 21, 'each download revokes its URL later');
  } finally {
    g.setTimeout = saved.setTimeout;
    for (const t of revokes) clearTimeout(t);
    g.document = saved.document;
    URL.createObjectURL = saved.create;
    URL.revokeObjectURL = saved.revoke;
  }
});

test('dataUrlBytes decodes a base64 data URL', () => {
  assert.deepEqual([...dataUrlBytes('data:image/png;base64,iVBORw0KGgo=')], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('svgOfView draws a view\'s data through its draw(ctx, w, h, data): the view\'s canvas and update untouched', async () => {
  installFakeDom();
  const { XYPlotView } = await import('../../../web/views/xyplot.js');
  const { NormBarsView } = await import('../../../web/views/normbars.js');
  const plot = new XYPlotView(fakeParent(), { width: 300, height: 200, x: [1, 1500], xScale: 'log', xLabel: 'epoch',
    yLabel: 'accuracy', legend: [{ label: 'train', color: '#1971c2' }] });
  const update = plot.update;
  const data = { lines: [{ xy: [1, 0.1, 10, 0.5, 1000, 1], color: '#1971c2' }] };
  plot.update(data);
  assert.equal(plot.data, data, 'update keeps the data');
  const own = plot.c.ctx;
  const calls = own.calls;
  const svg = svgOfView(plot);
  assert.equal(own.calls, calls, 'nothing drawn on the view\'s own canvas');
  assert.equal(plot.update, update, 'update is not patched');
  assert.equal(plot.c.ctx, own, 'the context is not swapped');
  assert.match(svg, /width="300" height="200"/);
  for (const label of ['train', 'epoch', 'accuracy', '>1<', '>10<', '>100<', '>1k<']) assert.ok(svg.includes(label), `the SVG has ${label}`);
  assert.equal(svgOfView(new XYPlotView(fakeParent())), null, 'no data yet: no SVG');
  // A view whose height follows its data draws the SVG at that size.
  const bars = new NormBarsView(fakeParent(), { width: 250 });
  const n = 20;
  const svg2 = svgOfView(bars, { norms: new Float32Array(n).fill(1), interference: new Float32Array(n), n });
  assert.match(svg2, new RegExp(`width="250" height="${bars.size({ n }).h}"`));
  assert.ok(canSvg(bars) && !canSvg({ update() {} }));
});
