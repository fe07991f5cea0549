// views/xyplot.js: lines and points in a box with linear or log axes (axis.js): the suppression
// page's a(c) curve with its trained points and its transfer curves f(x), the SAE page's curves,
// the grokking page's accuracy and loss on a log-epoch axis.
// Dumb view: constructor(parent, options), update({lines, points, x, y}), draw(ctx, w, h, data),
// reset(). Draws only what it is given; canvas text is never HTML.
//   options: {width, height, x: [lo, hi], y: [lo, hi], xScale / yScale: 'linear' | 'log',
//             xLabel, yLabel (axis titles, with units), legend: [{label, color, dash, dot}],
//             xTicks / yTicks: [{v, label}] (instead of nice ticks), label (aria), empty}
//   lines:   [{xy: Float32Array|number[] (x0, y0, x1, y1, ...), color, width, dash: [..]}]
//   points:  [{x, y, color, r, ring: bool, label}] (labels are placed so they do not overlap;
//            non-finite points are skipped)
//   x, y:    [lo, hi] for this data (else the ranges of options / setRange)
import { CanvasView } from './canvas.js';
import { drawChart, scale, label as drawLabel, FONT } from './axis.js';

const LABEL_SIZE = 11;

export class XYPlotView extends CanvasView {
  constructor(parent, { width = 300, height = 220, x = [0, 1], y = [0, 1], xScale = 'linear', yScale = 'linear',
    xLabel = 'x', yLabel = 'y', legend = [], xTicks = null, yTicks = null, label = 'plot', empty = 'waiting for the first frame' } = {}) {
    super(parent, width, height, label, empty);
    this.opts = { x, y, xScale, yScale, xLabel, yLabel, legend, xTicks, yTicks };
  }

  /** Change the axis ranges (takes effect at the next update). */
  setRange({ x, y }) {
    if (x) this.opts.x = x;
    if (y) this.opts.y = y;
  }

  draw(ctx, w, h, { lines = [], points = [], x, y, legend }) {
    const o = this.opts;
    const [x0, x1] = x || o.x;
    const [y0, y1] = y || o.y;
    const f = drawChart(ctx, w, h, { x: scale(o.xScale, x0, x1), y: scale(o.yScale, y0, y1), xTitle: o.xLabel,
      yTitle: o.yLabel, legend: legend || o.legend, xTicks: o.xTicks, yTicks: o.yTicks });
    ctx.save();
    f.clip();
    for (const line of lines) {
      const xy = line.xy;
      ctx.strokeStyle = line.color || '#111';
      ctx.lineWidth = line.width || 1.5;
      ctx.setLineDash(line.dash || []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i + 1 < xy.length; i += 2) {
        const px = f.X(xy[i]);
        const py = f.Y(xy[i + 1]);
        if (!Number.isFinite(px) || !Number.isFinite(py)) { pen = false; continue; }
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    const at = points.map((p) => ({ p, px: f.X(p.x), py: f.Y(p.y) })).filter((q) => Number.isFinite(q.px) && Number.isFinite(q.py));
    // Every point's marker is an obstacle for the labels (so a label never hides another run's dot).
    const markers = at.map(({ p, px, py }) => { const r = (p.r || 4) + 1; return { x0: px - r, x1: px + r, y0: py - r, y1: py + r }; });
    const placed = [];
    for (const { p, px, py } of at) {
      ctx.beginPath();
      ctx.arc(px, py, p.r || 4, 0, 2 * Math.PI);
      if (p.ring) { ctx.strokeStyle = p.color || '#111'; ctx.lineWidth = 2; ctx.stroke(); }
      else { ctx.fillStyle = p.color || '#111'; ctx.fill(); }
      if (p.label) {
        const where = placeLabel(ctx, p.label, px, py, (p.r || 4) + 4, f, placed, markers);
        drawLabel(ctx, p.label, where.x, where.y, { size: LABEL_SIZE, color: p.color || '#111', bold: true, baseline: 'middle' });
      }
    }
    ctx.restore();
    return null;
  }
}

/**
 * A place for a point's label beside the point (right, left, above, below, then further out)
 * that overlaps no label placed before it and no point's marker and stays in the frame; else the
 * candidate in the frame that overlaps least. Records the chosen box in `placed`.
 */
function placeLabel(ctx, str, px, py, gap, f, placed, markers = []) {
  ctx.font = `600 ${LABEL_SIZE}px ${FONT}`;
  const m = ctx.measureText ? ctx.measureText(str).width : NaN;
  const tw = Number.isFinite(m) ? m : str.length * LABEL_SIZE * 0.6;
  const th = LABEL_SIZE + 2;
  const candidates = [];
  for (let k = 0; k <= 8; k++) {
    const d = k * th;
    candidates.push([px + gap, py - d], [px + gap, py + d], [px - gap - tw, py - d], [px - gap - tw, py + d]);
  }
  const box = ([x, y]) => ({ x0: x, x1: x + tw, y0: y - th / 2, y1: y + th / 2 });
  const inside = (b) => b.x0 >= f.left && b.x1 <= f.left + f.width && b.y0 >= f.top && b.y1 <= f.top + f.height;
  const area = (b, q) => Math.max(0, Math.min(b.x1, q.x1) - Math.max(b.x0, q.x0)) * Math.max(0, Math.min(b.y1, q.y1) - Math.max(b.y0, q.y0));
  // the overlap with the labels placed before it, and with the markers other than its own point's
  const own = (q) => q.x0 <= px && px <= q.x1 && q.y0 <= py && py <= q.y1;
  const clash = (b) => placed.reduce((a, q) => a + area(b, q), 0) + markers.reduce((a, q) => a + (own(q) ? 0 : area(b, q)), 0);
  // The first candidate of least overlap among those in the frame (all, if none is): the first
  // free one in the frame when there is one.
  const boxes = candidates.map(box);
  const cost = boxes.map(clash);
  const within = boxes.map((b, i) => i).filter((i) => inside(boxes[i]));
  const pool = within.length ? within : boxes.map((b, i) => i);
  const pick = candidates[pool.reduce((a, i) => (cost[i] < cost[a] ? i : a), pool[0])];
  placed.push(box(pick));
  return { x: pick[0], y: pick[1] };
}
