// views/scatter.js: dimensions per feature m/‖W‖²_F (black line) and every feature's D_i (dots)
// against 1/p (= 1/(1−S), log scale) across the instances: the paper's Figure in §5, where D_i
// clusters on "sticky" fractions (1, 3/4, 2/3, 1/2, 2/5) as the features get sparser.
// Dumb view: constructor(parent, {onSelect}), update({p, dpf, D, n, K, sel}), reset().
import { makeCanvas, clear, featureColor, text, STICKY, fmt } from './canvas.js';

export class DimScatterView {
  constructor(parent, { width = 300, height = 190, onSelect = null } = {}) {
    this.c = makeCanvas(parent, width, height, 'dimensions per feature against 1/p');
    this.xs = [];
    if (onSelect) {
      this.c.canvas.style.cursor = 'pointer';
      this.c.canvas.addEventListener('click', (e) => {
        const r = this.c.canvas.getBoundingClientRect();
        const x = e.clientX - r.left;
        let best = -1;
        let bd = Infinity;
        this.xs.forEach((px, k) => { if (Math.abs(px - x) < bd) { bd = Math.abs(px - x); best = k; } });
        if (best >= 0 && bd < 20) onSelect(best);
      });
    }
    this.reset();
  }

  reset() {
    clear(this.c);
    text(this.c, 'waiting for the first frame…', 4, 14);
  }

  update({ p, dpf, D, n, K, sel }) {
    const c = this.c;
    const ctx = c.ctx;
    clear(c);
    const left = 32;
    const top = 8;
    const W = c.w - left - 10;
    const H = c.h - top - 30;
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < K; k++) { const v = Math.log10(1 / p[k]); lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
    const pad = (hi - lo) * 0.06;
    lo -= pad; hi += pad;
    const x = (pk) => left + (W * (Math.log10(1 / pk) - lo)) / (hi - lo);
    const y = (v) => top + H * (1 - Math.max(0, Math.min(v, 1.1)) / 1.1);
    for (const s of STICKY) {
      ctx.strokeStyle = s.v === 1 ? '#aaa' : '#ddd';
      ctx.setLineDash(s.v === 1 ? [] : [3, 3]);
      ctx.beginPath(); ctx.moveTo(left, y(s.v) + 0.5); ctx.lineTo(left + W, y(s.v) + 0.5); ctx.stroke();
      text(c, s.label, left - 4, y(s.v), { align: 'right', baseline: 'middle', size: 9 });
    }
    ctx.setLineDash([]);
    this.xs = [];
    for (let k = 0; k < K; k++) this.xs.push(x(p[k]));
    // Selected instance.
    if (sel >= 0 && sel < K) {
      ctx.fillStyle = 'rgba(255, 190, 60, 0.25)';
      ctx.fillRect(this.xs[sel] - 6, top, 12, H);
    }
    // D_i dots, slightly jittered by feature so coincident ones stay visible.
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        const d = D[k * n + i];
        if (!(d > 0.01)) continue;
        ctx.fillStyle = featureColor(i, n);
        ctx.globalAlpha = 0.75;
        ctx.beginPath();
        ctx.arc(this.xs[k] + ((i % 5) - 2) * 1.2, y(d), 2.4, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#222';
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    for (let k = 0; k < K; k++) { if (k === 0) ctx.moveTo(this.xs[k], y(dpf[k])); else ctx.lineTo(this.xs[k], y(dpf[k])); }
    ctx.stroke();
    ctx.fillStyle = '#222';
    for (let k = 0; k < K; k++) { ctx.beginPath(); ctx.arc(this.xs[k], y(dpf[k]), 2.5, 0, 2 * Math.PI); ctx.fill(); }
    ctx.lineWidth = 1;
    // x axis: decades of 1/p.
    ctx.strokeStyle = '#999';
    ctx.beginPath(); ctx.moveTo(left, top + H + 0.5); ctx.lineTo(left + W, top + H + 0.5); ctx.stroke();
    for (let d = Math.ceil(lo); d <= Math.floor(hi); d++) {
      const px = left + (W * (d - lo)) / (hi - lo);
      text(c, fmt(10 ** d), px, top + H + 12, { align: 'center', size: 10 });
    }
    text(c, '1/p  (p = feature probability; sparser →)', left + W, top + H + 25, { align: 'right', size: 10 });
  }
}
