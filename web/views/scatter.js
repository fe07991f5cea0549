// views/scatter.js: dimensions per feature m/‖W‖²_F (black line) and every feature's D_i (dots)
// against 1/p (= 1/(1−S), log scale) across the instances: the paper's Figure in §5, where D_i
// clusters on "sticky" fractions (1, 3/4, 2/3, 1/2, 2/5) as the features get sparser.
// Dumb view: constructor(parent, {onSelect}), update({p, dpf, D, n, K, sel}), draw(ctx, w, h, data),
// reset(). An instance whose p is not a positive number (a float32 p that underflowed to 0 has
// 1/p = ∞) has no place on the axis and is left out.
import { CanvasView, featureColor, STICKY_TICKS } from './canvas.js';
import { drawChart, linearScale, logScale } from './axis.js';

export class DimScatterView extends CanvasView {
  constructor(parent, { width = 300, height = 190, onSelect = null } = {}) {
    super(parent, width, height, 'dimensions per feature against 1/p');
    if (onSelect) {
      this.c.canvas.style.cursor = 'pointer';
      this.c.canvas.addEventListener('click', (e) => {
        const r = this.c.canvas.getBoundingClientRect();
        const x = e.clientX - r.left;
        let best = -1;
        let bd = Infinity;
        (this.hits || []).forEach((px, k) => { if (Math.abs(px - x) < bd) { bd = Math.abs(px - x); best = k; } });
        if (best >= 0 && bd < 20) onSelect(best);
      });
    }
  }

  /** Draws the chart; returns each instance's x pixel (NaN if it has no place), for clicks. */
  draw(ctx, w, h, { p, dpf, D, n, K, sel }) {
    let lo = Infinity;
    let hi = -Infinity;
    const inv = (k) => { const v = 1 / p[k]; return v > 0 && v < Infinity ? v : NaN; };
    for (let k = 0; k < K; k++) { const v = Math.log10(inv(k)); if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!(hi >= lo)) { lo = 0; hi = 1; }
    if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
    const pad = (hi - lo) * 0.06;
    const f = drawChart(ctx, w, h, {
      x: logScale(10 ** (lo - pad), 10 ** (hi + pad)), y: linearScale(0, 1.1), yTicks: STICKY_TICKS,
      xTitle: '1/p  (p = feature probability; sparser →)', yTitle: 'dims / feature',
    });
    const xs = [];
    for (let k = 0; k < K; k++) xs.push(f.X(inv(k)));
    const y = (v) => f.Y(Math.max(0, Math.min(v, 1.1)));
    ctx.save();
    f.clip();
    if (sel >= 0 && sel < K && Number.isFinite(xs[sel])) {
      ctx.fillStyle = 'rgba(255, 190, 60, 0.25)';
      ctx.fillRect(xs[sel] - 6, f.top, 12, f.height);
    }
    // D_i dots, slightly jittered by feature so coincident ones stay visible.
    ctx.globalAlpha = 0.75;
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(xs[k])) continue;
      for (let i = 0; i < n; i++) {
        const d = D[k * n + i];
        if (!(d > 0.01)) continue;
        ctx.fillStyle = featureColor(i, n);
        ctx.beginPath();
        ctx.arc(xs[k] + ((i % 5) - 2) * 1.2, y(d), 2.4, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#222';
    ctx.fillStyle = '#222';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let pen = false;
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(xs[k]) || !Number.isFinite(dpf[k])) { pen = false; continue; }
      if (pen) ctx.lineTo(xs[k], y(dpf[k])); else ctx.moveTo(xs[k], y(dpf[k]));
      pen = true;
    }
    ctx.stroke();
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(xs[k]) || !Number.isFinite(dpf[k])) continue;
      ctx.beginPath(); ctx.arc(xs[k], y(dpf[k]), 2.5, 0, 2 * Math.PI); ctx.fill();
    }
    ctx.restore();
    return xs;
  }
}
