// views/xyplot.js: lines and points in a box with linear axes (the suppression page's a(c) curve
// with its trained points, and the transfer curves f(x)).
// Dumb view: constructor(parent, options), update({lines, points}), reset(). Draws only what it
// is given; canvas text is never HTML.
//   options: {width, height, x: [lo, hi], y: [lo, hi], xLabel, yLabel, label (aria), empty}
//   lines:   [{xy: Float32Array|number[] (x0, y0, x1, y1, ...), color, width, dash: [..]}]
//   points:  [{x, y, color, r, ring: bool, label, dy}] (dy moves the label down; NaN points are skipped)
import { makeCanvas, clear, text, fmt } from './canvas.js';

export class XYPlotView {
  constructor(parent, { width = 300, height = 220, x = [0, 1], y = [0, 1], xLabel = 'x', yLabel = 'y',
    label = 'plot', empty = 'waiting for the first frame' } = {}) {
    this.c = makeCanvas(parent, width, height, label);
    this.opts = { x, y, xLabel, yLabel, empty };
    this.reset();
  }

  /** Change the axis ranges (takes effect at the next update). */
  setRange({ x, y }) {
    if (x) this.opts.x = x;
    if (y) this.opts.y = y;
  }

  reset() {
    clear(this.c);
    text(this.c, this.opts.empty, 8, 16);
  }

  update({ lines = [], points = [] }) {
    const c = this.c;
    const ctx = c.ctx;
    clear(c);
    const left = 40;
    const top = 10;
    const W = c.w - left - 10;
    const H = c.h - top - 34;
    const [x0, x1] = this.opts.x;
    const [y0, y1] = this.opts.y;
    const X = (v) => left + (W * (v - x0)) / (x1 - x0);
    const Y = (v) => top + H * (1 - (v - y0) / (y1 - y0));
    // grid and ticks: 5 divisions per axis
    ctx.lineWidth = 1;
    for (let i = 0; i <= 5; i++) {
      const xv = x0 + ((x1 - x0) * i) / 5;
      const yv = y0 + ((y1 - y0) * i) / 5;
      ctx.strokeStyle = '#eee';
      ctx.beginPath(); ctx.moveTo(Math.round(X(xv)) + 0.5, top); ctx.lineTo(Math.round(X(xv)) + 0.5, top + H); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(left, Math.round(Y(yv)) + 0.5); ctx.lineTo(left + W, Math.round(Y(yv)) + 0.5); ctx.stroke();
      text(c, fmt(xv, 2), X(xv), top + H + 12, { align: 'center', size: 10 });
      text(c, fmt(yv, 2), left - 4, Y(yv), { align: 'right', baseline: 'middle', size: 10 });
    }
    ctx.strokeStyle = '#999';
    ctx.strokeRect(left + 0.5, top + 0.5, W, H);
    text(c, this.opts.xLabel, left + W / 2, top + H + 26, { align: 'center', size: 11 });
    ctx.save();
    ctx.translate(10, top + H / 2);
    ctx.rotate(-Math.PI / 2);
    text(c, this.opts.yLabel, 0, 0, { align: 'center', baseline: 'middle', size: 11 });
    ctx.restore();
    // clip the data to the box
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 4, W, H + 8);
    ctx.clip();
    for (const line of lines) {
      const xy = line.xy;
      ctx.strokeStyle = line.color || '#111';
      ctx.lineWidth = line.width || 1.5;
      ctx.setLineDash(line.dash || []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i + 1 < xy.length; i += 2) {
        if (!Number.isFinite(xy[i]) || !Number.isFinite(xy[i + 1])) { pen = false; continue; }
        if (pen) ctx.lineTo(X(xy[i]), Y(xy[i + 1])); else ctx.moveTo(X(xy[i]), Y(xy[i + 1]));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    for (const p of points) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      ctx.beginPath();
      ctx.arc(X(p.x), Y(p.y), p.r || 4, 0, 2 * Math.PI);
      if (p.ring) { ctx.strokeStyle = p.color || '#111'; ctx.lineWidth = 2; ctx.stroke(); }
      else { ctx.fillStyle = p.color || '#111'; ctx.fill(); }
      if (p.label) text(c, p.label, X(p.x) + 9, Y(p.y) - 6 + (p.dy || 0), { size: 11, color: p.color || '#111', bold: true });
    }
    ctx.restore();
  }
}
