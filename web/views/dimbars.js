// views/dimbars.js: each feature's dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)² as a bar, with
// the "sticky" fractions marked (1, 3/4, 2/3, 1/2, 2/5: paper §5). A feature with its own
// dimension has D_i = 1; each of a pentagon's five has 2/5; an unlearned feature has 0.
// Dumb view: constructor(parent), update({D, n}), reset().
import { makeCanvas, clear, featureColor, text, STICKY, hover, fmt } from './canvas.js';

export class DimBarsView {
  constructor(parent, { width = 260, height = 150 } = {}) {
    this.c = makeCanvas(parent, width, height, 'bars of per-feature dimensionality');
    this.last = null;
    hover(this.c, (x) => {
      if (!this.last) return '';
      const { D, n } = this.last;
      const i = Math.floor(((x - 30) / (this.c.w - 34)) * n);
      return i >= 0 && i < n ? `feature ${i}: D_${i} = ${fmt(D[i])}` : '';
    });
    this.reset();
  }

  reset() {
    this.last = null;
    clear(this.c);
    text(this.c, 'waiting for the first frame…', 4, 14);
  }

  update({ D, n }) {
    this.last = { D, n };
    const c = this.c;
    const ctx = c.ctx;
    clear(c);
    const left = 30;
    const top = 8;
    const W = c.w - left - 4;
    const H = c.h - top - 18;
    const y = (v) => top + H * (1 - Math.min(v, 1.1) / 1.1);
    for (const s of STICKY) {
      ctx.strokeStyle = s.v === 1 ? '#aaa' : '#ddd';
      ctx.setLineDash(s.v === 1 ? [] : [3, 3]);
      ctx.beginPath(); ctx.moveTo(left, y(s.v) + 0.5); ctx.lineTo(left + W, y(s.v) + 0.5); ctx.stroke();
      text(c, s.label, left - 4, y(s.v), { align: 'right', baseline: 'middle', size: 9 });
    }
    ctx.setLineDash([]);
    const bw = W / n;
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = featureColor(i, n);
      const v = Math.max(0, Math.min(D[i], 1.1));
      ctx.fillRect(left + i * bw + bw * 0.1, y(v), Math.max(1, bw * 0.8), top + H - y(v));
    }
    ctx.strokeStyle = '#999';
    ctx.beginPath(); ctx.moveTo(left, top + H + 0.5); ctx.lineTo(left + W, top + H + 0.5); ctx.stroke();
    text(c, 'feature i →', left + W, top + H + 13, { align: 'right', size: 10 });
    text(c, 'D_i', left + 2, top + H + 13, { size: 10, bold: true });
  }
}
