// views/heatmap.js: WᵀW as an n×n heatmap (diverging scale, −s blue · 0 white · +s red, s = 1
// unless some entry is larger) with the bias b as a column beside it, like the paper's Figure 2/3.
// Dumb view: constructor(parent), update({WtW, b, n}), reset(). WtW is row-major (n, n), b (n).
import { makeCanvas, clear, blitHeatmap, diverging, text, hover, fmt } from './canvas.js';

export class HeatmapView {
  constructor(parent, { size = 200 } = {}) {
    this.size = size;
    this.c = makeCanvas(parent, size + 52, size + 34, 'heatmap of W transpose W and bias b');
    this.last = null;
    hover(this.c, (x, y) => {
      if (!this.last) return '';
      const { WtW, b, n } = this.last;
      const i = Math.floor(((y - 14) / size) * n);
      const j = Math.floor(((x - 2) / size) * n);
      if (i < 0 || i >= n) return '';
      if (j >= 0 && j < n) return `W_${i} · W_${j} = ${fmt(WtW[i * n + j])}`;
      if (x >= size + 16 && x <= size + 28) return `b_${i} = ${fmt(b[i])}`;
      return '';
    });
    this.reset();
  }

  reset() {
    this.last = null;
    clear(this.c);
    text(this.c, 'waiting for the first frame…', 4, 14);
  }

  update({ WtW, b, n }) {
    this.last = { WtW, b, n };
    const c = this.c;
    const S = this.size;
    clear(c);
    const x0 = 2;
    const y0 = 14;
    text(c, 'WᵀW', x0 + S / 2, 10, { align: 'center', bold: true });
    text(c, 'b', x0 + S + 20, 10, { align: 'center', bold: true });
    // Symmetric scale: ±1 as in the paper (clipping the usual slight excess), widened to a round
    // value when entries are much larger (relu-hidden and abs models grow large weights).
    let max = 1;
    for (let i = 0; i < n * n; i++) max = Math.max(max, Math.abs(WtW[i]));
    for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(b[i]));
    const scale = max <= 1.5 ? 1 : Math.ceil(max * 2) / 2;
    blitHeatmap(c, WtW, 0, n, n, x0, y0, S, S, scale);
    c.ctx.strokeStyle = '#bbb';
    c.ctx.strokeRect(x0 + 0.5, y0 + 0.5, S - 1, S - 1);
    // Bias column: one cell per feature, same scale.
    const cell = S / n;
    for (let i = 0; i < n; i++) {
      c.ctx.fillStyle = diverging(b[i] / scale);
      c.ctx.fillRect(x0 + S + 14, y0 + i * cell, 12, Math.max(cell, 1));
    }
    c.ctx.strokeRect(x0 + S + 14.5, y0 + 0.5, 11, S - 1);
    // Legend.
    const ly = y0 + S + 6;
    for (let i = 0; i <= 40; i++) {
      c.ctx.fillStyle = diverging(-1 + i / 20);
      c.ctx.fillRect(x0 + (S * i) / 41, ly, S / 41 + 0.5, 7);
    }
    text(c, `−${scale}`, x0, ly + 18, { size: 10 });
    text(c, '0', x0 + S / 2, ly + 18, { align: 'center', size: 10 });
    text(c, `+${scale}`, x0 + S, ly + 18, { align: 'right', size: 10 });
  }
}
