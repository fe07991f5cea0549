// views/heatmap.js: WᵀW as an n×n heatmap (diverging scale, −s blue · 0 white · +s red, s = 1
// unless some entry is larger) with the bias b as a column beside it, like the paper's Figure 2/3.
// Dumb view: constructor(parent), update({WtW, b, n}), draw(ctx, w, h, data), reset().
// WtW is row-major (n, n), b (n).
import { CanvasView, blitHeatmap, diverging, text, hover, fmt } from './canvas.js';

export class HeatmapView extends CanvasView {
  constructor(parent, { size = 200 } = {}) {
    super(parent, size + 52, size + 42, 'heatmap of W transpose W and bias b');  // (the legend's labels end at size + 40)
    this.S = size;
    hover(this.c, (x, y) => {
      if (!this.data) return '';
      const { WtW, b, n } = this.data;
      const i = Math.floor(((y - 14) / size) * n);
      const j = Math.floor(((x - 2) / size) * n);
      if (i < 0 || i >= n) return '';
      if (j >= 0 && j < n) return `W_${i} · W_${j} = ${fmt(WtW[i * n + j])}`;
      if (x >= size + 16 && x <= size + 28) return `b_${i} = ${fmt(b[i])}`;
      return '';
    });
  }

  draw(ctx, w, h, { WtW, b, n }) {
    const S = this.S;
    const x0 = 2;
    const y0 = 14;
    text(ctx, 'WᵀW', x0 + S / 2, 10, { align: 'center', bold: true });
    text(ctx, 'b', x0 + S + 20, 10, { align: 'center', bold: true });
    // Symmetric scale: ±1 as in the paper (clipping the usual slight excess), widened to a round
    // value when entries are much larger (relu-hidden and abs models grow large weights).
    // Non-finite entries do not set the scale (they draw as 0 or as the scale's end).
    let max = 1;
    for (let i = 0; i < n * n; i++) { const a = Math.abs(WtW[i]); if (a > max && a < Infinity) max = a; }
    for (let i = 0; i < n; i++) { const a = Math.abs(b[i]); if (a > max && a < Infinity) max = a; }
    const scale = max <= 1.5 ? 1 : max < 1e6 ? Math.ceil(max * 2) / 2 : max;
    const scaleText = scale < 1e4 ? String(scale) : fmt(scale);
    blitHeatmap(ctx, WtW, 0, n, n, x0, y0, S, S, scale);
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, S - 1, S - 1);
    // Bias column: one cell per feature, same scale.
    const cell = S / n;
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = diverging(b[i] / scale);
      ctx.fillRect(x0 + S + 14, y0 + i * cell, 12, Math.max(cell, 1));
    }
    ctx.strokeRect(x0 + S + 14.5, y0 + 0.5, 11, S - 1);
    // Legend: the colour scale.
    const ly = y0 + S + 6;
    for (let i = 0; i <= 40; i++) {
      ctx.fillStyle = diverging(-1 + i / 20);
      ctx.fillRect(x0 + (S * i) / 41, ly, S / 41 + 0.5, 7);
    }
    text(ctx, `−${scaleText}`, x0, ly + 18, { size: 10 });
    text(ctx, '0', x0 + S / 2, ly + 18, { align: 'center', size: 10 });
    text(ctx, `+${scaleText}`, x0 + S, ly + 18, { align: 'right', size: 10 });
    return null;
  }
}
