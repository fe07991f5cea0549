// views/linechart.js: the training loss of every instance against the step (log scale), the
// selected instance drawn thick. L = E_x Σ_i I_i (x_i − x′_i)².
// Dumb view: constructor(parent), update({steps, losses, K, sel}), draw(ctx, w, h, data), reset();
// steps: number[]; losses: number[][] (losses[k][t] for instance k at steps[t]).
import { CanvasView, fmt, featureColor } from './canvas.js';
import { drawChart, linearScale, logScale } from './axis.js';

export class LossChartView extends CanvasView {
  constructor(parent, { width = 300, height = 170 } = {}) {
    super(parent, width, height, 'loss curve', 'the loss appears here once training starts');
  }

  update(data) {
    if (data.steps.length < 2) { this.reset(); this.data = data; return; }
    super.update(data);
  }

  draw(ctx, w, h, { steps, losses, K, sel }) {
    if (steps.length < 2) return null;
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of losses) for (const v of row) if (v > 0 && v < Infinity) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (!(hi > 0)) { lo = 1e-3; hi = 1; }
    lo = Math.max(lo, hi * 1e-4); // at most four decades: the noise floor of sparse instances is not the story
    const y = logScale(lo, hi);
    const last = losses[sel] ? losses[sel][steps.length - 1] : NaN;
    const others = K > 1 ? [{ label: 'other instances', color: featureColor(0, 2), width: 1 }] : [];
    const f = drawChart(ctx, w, h, {
      x: linearScale(steps[0], steps[steps.length - 1]), y, xTitle: 'step', yTitle: 'loss',
      legend: [{ label: `instance ${sel}: ${fmt(last)}`, color: '#111', width: 2.2 }, ...others],
    });
    const Y = (v) => f.Y(Math.max(v, y.lo));
    const line = (k, width, color) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      const row = losses[k];
      let pen = false;
      for (let t = 0; t < steps.length; t++) {
        const px = f.X(steps[t]);
        const py = Y(row[t]);
        if (!Number.isFinite(px) || !Number.isFinite(py)) { pen = false; continue; }
        if (pen) ctx.lineTo(px, py); else ctx.moveTo(px, py);
        pen = true;
      }
      ctx.stroke();
    };
    ctx.save();
    f.clip();
    for (let k = 0; k < K; k++) if (k !== sel && losses[k]) line(k, 1, featureColor(K - 1 - k, K).replace('rgb', 'rgba').replace(')', ',0.55)'));
    if (sel >= 0 && sel < K && losses[sel]) line(sel, 2.2, '#111');
    ctx.restore();
    return null;
  }
}
