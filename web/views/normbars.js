// views/normbars.js: one bar per feature, length ‖W_i‖, coloured by its superposition
// Σ_{j≠i} (Ŵ_i·W_j)² (black: a dimension of its own; yellow: shares its dimension), as in the
// paper's Figure 3. Dumb view: constructor(parent), update({norms, interference, n}),
// draw(ctx, w, h, data), reset(). Its height follows n (size(data)).
import { CanvasView, interferenceColor, text, fmt, hover } from './canvas.js';

const rowHeight = (rowMax, n) => Math.max(3, Math.min(rowMax, Math.floor(220 / Math.max(1, n))));

export class NormBarsView extends CanvasView {
  constructor(parent, { width = 240, rowMax = 14 } = {}) {
    super(parent, width, 120, 'bars of feature norms coloured by interference');
    this.width = width;
    this.rowMax = rowMax;
    hover(this.c, (x, y) => {
      if (!this.data) return '';
      const { norms, interference, n } = this.data;
      const i = Math.floor((y - 16) / rowHeight(this.rowMax, n));
      return i >= 0 && i < n ? `feature ${i}: ‖W_${i}‖ = ${fmt(norms[i])}, superposition ${fmt(interference[i])}` : '';
    });
  }

  size(data) {
    return data ? { w: this.width, h: 16 + data.n * rowHeight(this.rowMax, data.n) + 26 } : { w: this.c.w, h: this.c.h };
  }

  draw(ctx, w, h, { norms, interference, n }) {
    const row = rowHeight(this.rowMax, n);
    const left = 34;
    const W = w - left - 36;
    let max = 1.2;
    for (let i = 0; i < n; i++) if (norms[i] > max && norms[i] < 1e300) max = norms[i];
    const len = (v) => (Number.isFinite(v) ? Math.max(0, Math.min(W, (W * v) / max)) : 0);
    text(ctx, '‖W_i‖', left, 11, { bold: true });
    ctx.strokeStyle = '#ccc';
    ctx.lineWidth = 1;
    const one = left + W / max;
    ctx.beginPath(); ctx.moveTo(one + 0.5, 14); ctx.lineTo(one + 0.5, 16 + n * row); ctx.stroke();
    text(ctx, '1', one, 16 + n * row + 10, { align: 'center', size: 10 });
    for (let i = 0; i < n; i++) {
      const y = 16 + i * row;
      ctx.fillStyle = interferenceColor(interference[i]);
      ctx.fillRect(left, y, len(norms[i]), row - (row > 5 ? 2 : 1));
      if (row >= 9) text(ctx, String(i), left - 4, y + row / 2, { align: 'right', baseline: 'middle', size: 10 });
      if (row >= 11) text(ctx, fmt(norms[i], 2), left + len(norms[i]) + 3, y + row / 2, { baseline: 'middle', size: 10, color: '#888' });
    }
    // Legend: the colour scale.
    const ly = 16 + n * row + 14;
    for (let i = 0; i <= 20; i++) {
      ctx.fillStyle = interferenceColor(i / 20);
      ctx.fillRect(left + (i * 60) / 21, ly, 60 / 21 + 0.5, 7);
    }
    text(ctx, 'superposition 0 → 1', left + 66, ly + 7, { size: 10 });
    return null;
  }
}
