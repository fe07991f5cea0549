// web/views/axis.js without a browser: nice ticks (1, 2, 5 × 10^k), log axes labelled in the
// quantity's own units (epochs 1, 10, 100, 1k; probabilities 1e-5 ... 1), tick labels to the
// step's precision, and a layout whose labels stay inside the canvas and never overlap one
// another; the XY plot's point labels avoid each other. Drawn into tests/web/fake-dom.mjs's
// recording context. (Extreme and non-finite inputs: views.fuzz.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installFakeDom, fakeParent, FakeContext2D } from '../fake-dom.mjs';
import { linearScale, logScale, niceStep, formatTick, formatPower, drawChart } from '../../../web/views/axis.js';

installFakeDom();
const { XYPlotView } = await import('../../../web/views/xyplot.js');

const labels = (s, n) => s.ticks(n).map((t) => t.label);

test('nice steps are 1, 2 or 5 × 10^k', () => {
  assert.deepEqual([0.7, 1, 1.3, 2.1, 4.9, 7, 0.031, 2e-7].map(niceStep), [1, 1, 2, 5, 5, 10, 0.05, 2e-7]);
});

test('linear ticks: round values, labelled to the step', () => {
  assert.deepEqual(labels(linearScale(0, 2.5), 5), ['0', '0.5', '1.0', '1.5', '2.0', '2.5']);
  assert.deepEqual(labels(linearScale(-1.2, 1.6), 6), ['-1.0', '-0.5', '0', '0.5', '1.0', '1.5']);
  assert.deepEqual(labels(linearScale(0, 3000), 4), ['0', '1000', '2000', '3000']);
  assert.deepEqual(labels(linearScale(0, 1e6), 5), ['0', '200k', '400k', '600k', '800k', '1.0M']);
  assert.deepEqual(labels(linearScale(0, 6e-6), 3), ['0', '2e-6', '4e-6', '6e-6']);
  assert.equal(formatTick(-0, 1), '0');
  assert.equal(formatTick(1e-17, 0.1), '0', 'float noise at zero prints 0');
});

test('log ticks: decades in the quantity\'s units, 2 and 5 between few decades', () => {
  assert.deepEqual(labels(logScale(1, 1500), 6), ['1', '10', '100', '1k']);
  assert.deepEqual(labels(logScale(1e-5, 1), 6), ['1e-5', '1e-4', '0.001', '0.01', '0.1', '1']);
  assert.deepEqual(labels(logScale(1, 10), 6), ['1', '2', '5', '10']);
  assert.deepEqual(labels(logScale(1, 1e60), 6), ['1', '1e11', '1e22', '1e33', '1e44', '1e55']);
  assert.deepEqual([2e3, 5e6, 1e9, 0.5, 0.002].map(formatPower), ['2k', '5M', '1e9', '0.5', '0.002']);
  const s = logScale(1, 1000);
  assert.ok(Math.abs(s.map(10) - 1 / 3) < 1e-12 && Math.abs(s.map(1000) - 1) < 1e-12);
  assert.ok(Number.isNaN(s.map(0)) && Number.isNaN(s.map(-1)), 'values ≤ 0 have no place on a log axis');
});

/** Every label's box from the recorded text (the fake measures 0.6 em per character). */
function boxes(ctx) {
  return ctx.placed.map((t) => {
    const size = Number(/(\d+(?:\.\d+)?)px/.exec(t.font)[1]);
    const w = ctx.measureText(t.s).width * (size / Number(/(\d+(?:\.\d+)?)px/.exec(ctx.font)[1]));
    const x0 = t.align === 'center' ? t.x - w / 2 : t.align === 'right' ? t.x - w : t.x;
    const y0 = t.baseline === 'middle' ? t.y - size / 2 : t.y - size;
    return { s: t.s, x0, x1: x0 + w, y0, y1: y0 + size };
  });
}

test('a chart keeps every label inside its canvas, no two labels overlapping, the legend above the frame', () => {
  for (const [w, h] of [[400, 240], [250, 220], [160, 120]]) {
    const ctx = new FakeContext2D();
    const f = drawChart(ctx, w, h, { x: logScale(1, 1500), y: logScale(1e-3, 10), xTitle: 'epoch', yTitle: 'accuracy',
      legend: [{ label: 'train', color: '#1971c2' }, { label: 'test', color: '#d9480f' }] });
    // The y title is drawn rotated (its recorded position is in the rotated frame): checked by
    // its room, the frame's left margin.
    assert.ok(f.left >= 11 + 10, `${w}×${h}: room for the rotated y title`);
    const all = boxes(ctx).filter((b) => b.s !== 'accuracy');
    for (const b of all) {
      assert.ok(b.x0 >= -0.5 && b.x1 <= w + 0.5 && b.y0 >= -0.5 && b.y1 <= h + 0.5, `${w}×${h}: "${b.s}" at ${JSON.stringify(b)} leaves the canvas`);
    }
    // x tick labels (below the frame, not the title) do not overlap each other
    const xs = all.filter((b) => b.y0 > f.top + f.height && b.s !== 'epoch').sort((a, b) => a.x0 - b.x0);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i - 1].x1 <= xs[i].x0, `${w}×${h}: "${xs[i - 1].s}" overlaps "${xs[i].s}"`);
    assert.ok(xs.length >= 2, `${w}×${h}: ${xs.length} x labels`);
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i], all[j]];
      const apart = a.x1 <= b.x0 || b.x1 <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0;
      assert.ok(apart, `${w}×${h}: "${a.s}" overlaps "${b.s}"`);
    }
    const legend = all.filter((b) => b.s === 'train' || b.s === 'test');
    assert.equal(legend.length, 2);
    for (const b of legend) assert.ok(b.y1 <= f.top, `${w}×${h}: the legend "${b.s}" sits above the frame`);
  }
});

test('the XY plot keeps point labels in the frame and off the other points\' markers (the SAE sweep\'s L0–FVE ends)', () => {
  // the sae.html#data=toy&archs=relu,topk&sweep=1 runs' ends, which crowd FVE 1 at the frame's top
  const plot = new XYPlotView(fakeParent(), { width: 340, height: 240, x: [0, 9], y: [0, 1] });
  const ctx = new FakeContext2D();
  const arcs = [];
  const arc = ctx.arc;
  ctx.arc = (x, y, r, ...rest) => { arcs.push({ x, y, r }); return arc(x, y, r, ...rest); };
  const ends = [['relu λ=0.1', 0.27, 0.99], ['relu λ=0.3', 0.14, 0.91], ['relu λ=0.6', 0.10, 0.81],
    ['topk k=1', 1, 0.95], ['topk k=2', 2, 1], ['topk k=3', 3, 1]];
  plot.draw(ctx, 340, 240, { lines: [], points: ends.map(([label, x, y]) => ({ x, y, label })) });
  const b = boxes(ctx).filter((q) => ends.some(([s]) => s === q.s));
  assert.equal(b.length, ends.length);
  const top = Math.min(...arcs.map((a) => a.y));  // the points at y = 1 sit on the frame's top edge
  for (let i = 0; i < b.length; i++) {
    assert.ok(b[i].y0 >= top - 0.5, `"${b[i].s}" crosses the frame's top (${b[i].y0} < ${top})`);
    for (let j = i + 1; j < b.length; j++) {
      const apart = b[i].x1 <= b[j].x0 || b[j].x1 <= b[i].x0 || b[i].y1 <= b[j].y0 || b[j].y1 <= b[i].y0;
      assert.ok(apart, `"${b[i].s}" overlaps "${b[j].s}"`);
    }
    arcs.forEach((a, k) => {
      if (ends[k][0] === b[i].s) return;
      const clear = b[i].x1 <= a.x - a.r || b[i].x0 >= a.x + a.r || b[i].y1 <= a.y - a.r || b[i].y0 >= a.y + a.r;
      assert.ok(clear, `"${b[i].s}" covers ${ends[k][0]}'s marker`);
    });
  }
});

test('the XY plot places point labels apart even when the points coincide', () => {
  const plot = new XYPlotView(fakeParent(), { width: 380, height: 260, x: [0, 2.5], y: [0, 1.25] });
  const ctx = new FakeContext2D();
  const points = ['scale', 'gated', 'trained'].map((label) => ({ x: 0.4, y: 0.8, label }));
  plot.draw(ctx, 380, 260, { lines: [], points });
  const b = boxes(ctx).filter((q) => ['scale', 'gated', 'trained'].includes(q.s));
  assert.equal(b.length, 3);
  for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) {
    const apart = b[i].x1 <= b[j].x0 || b[j].x1 <= b[i].x0 || b[i].y1 <= b[j].y0 || b[j].y1 <= b[i].y0;
    assert.ok(apart, `"${b[i].s}" overlaps "${b[j].s}"`);
  }
});
