// views/linechart.js: the training loss of every instance against the step (log scale), the
// selected instance drawn thick. L = E_x Σ_i I_i (x_i − x′_i)².
// Dumb view: constructor(parent), update({steps, losses, K, sel}), reset();
// steps: number[]; losses: number[][] (losses[k][t] for instance k at steps[t]).
import { makeCanvas, clear, text, fmt, featureColor } from './canvas.js';

export class LossChartView {
  constructor(parent, { width = 300, height = 170 } = {}) {
    this.c = makeCanvas(parent, width, height, 'loss curve');
    this.reset();
  }

  reset() {
    clear(this.c);
    text(this.c, 'the loss appears here once training starts', 4, 14);
  }

  update({ steps, losses, K, sel }) {
    const c = this.c;
    const ctx = c.ctx;
    clear(c);
    if (steps.length < 2) { this.reset(); return; }
    const left = 44;
    const top = 8;
    const W = c.w - left - 8;
    const H = c.h - top - 26;
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of losses) for (const v of row) if (v > 0 && Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(hi > 0)) return;
    lo = Math.max(lo, hi * 1e-4); // at most four decades: the noise floor of sparse instances is not the story
    let a = Math.floor(Math.log10(lo));
    let b = Math.ceil(Math.log10(hi));
    if (b <= a) b = a + 1;
    const s0 = steps[0];
    const s1 = steps[steps.length - 1];
    const x = (s) => left + (W * (s - s0)) / Math.max(1, s1 - s0);
    const y = (v) => top + H * (1 - (Math.log10(Math.max(v, 10 ** a)) - a) / (b - a));
    ctx.strokeStyle = '#eee';
    for (let d = a; d <= b; d++) {
      ctx.beginPath(); ctx.moveTo(left, y(10 ** d) + 0.5); ctx.lineTo(left + W, y(10 ** d) + 0.5); ctx.stroke();
      text(c, d < -3 ? `1e${d}` : fmt(10 ** d), left - 4, y(10 ** d), { align: 'right', baseline: 'middle', size: 10 });
    }
    const draw = (k, width, color) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.beginPath();
      const row = losses[k];
      for (let t = 0; t < steps.length; t++) { if (t === 0) ctx.moveTo(x(steps[t]), y(row[t])); else ctx.lineTo(x(steps[t]), y(row[t])); }
      ctx.stroke();
    };
    for (let k = 0; k < K; k++) if (k !== sel) draw(k, 1, featureColor(K - 1 - k, K).replace('rgb', 'rgba').replace(')', ',0.55)'));
    if (sel >= 0 && sel < K) draw(sel, 2.2, '#111');
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#999';
    ctx.beginPath(); ctx.moveTo(left, top + H + 0.5); ctx.lineTo(left + W, top + H + 0.5); ctx.stroke();
    text(c, String(s0), left, top + H + 12, { size: 10 });
    text(c, String(s1), left + W, top + H + 12, { align: 'right', size: 10 });
    text(c, 'step', left + W / 2, top + H + 12, { align: 'center', size: 10 });
    text(c, `instance ${sel}: ${fmt(losses[sel] ? losses[sel][steps.length - 1] : NaN)}`, left + W, top + 10, { align: 'right', size: 10, color: '#111' });
  }
}
