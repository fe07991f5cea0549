// views/normbars.js: one bar per feature, length ‖W_i‖, coloured by its superposition
// Σ_{j≠i} (Ŵ_i·W_j)² (black: a dimension of its own; yellow: shares its dimension), as in the
// paper's Figure 3. Dumb view: constructor(parent), update({norms, interference, n}), reset().
import { makeCanvas, resize, clear, interferenceColor, text, fmt, hover } from './canvas.js';

export class NormBarsView {
  constructor(parent, { width = 240, rowMax = 14 } = {}) {
    this.width = width;
    this.rowMax = rowMax;
    this.c = makeCanvas(parent, width, 120, 'bars of feature norms coloured by interference');
    this.last = null;
    hover(this.c, (x, y) => {
      if (!this.last) return '';
      const { norms, interference, n, row } = this.last;
      const i = Math.floor((y - 16) / row);
      return i >= 0 && i < n ? `feature ${i}: ‖W_${i}‖ = ${fmt(norms[i])}, superposition ${fmt(interference[i])}` : '';
    });
    this.reset();
  }

  reset() {
    this.last = null;
    clear(this.c);
    text(this.c, 'waiting for the first frame…', 4, 14);
  }

  update({ norms, interference, n }) {
    const c = this.c;
    const row = Math.max(3, Math.min(this.rowMax, Math.floor(220 / n)));
    const H = 16 + n * row + 26;
    if (c.h !== H) resize(c, this.width, H); // only when n changes (resizing re-allocates)
    this.last = { norms, interference, n, row };
    clear(c);
    const left = 34;
    const W = this.width - left - 36;
    const max = Math.max(1.2, ...Array.from(norms));
    text(c, '‖W_i‖', left, 11, { bold: true });
    c.ctx.strokeStyle = '#ccc';
    const one = left + (W * 1) / max;
    c.ctx.beginPath(); c.ctx.moveTo(one + 0.5, 14); c.ctx.lineTo(one + 0.5, 16 + n * row); c.ctx.stroke();
    text(c, '1', one, 16 + n * row + 10, { align: 'center', size: 10 });
    for (let i = 0; i < n; i++) {
      const y = 16 + i * row;
      c.ctx.fillStyle = interferenceColor(interference[i]);
      c.ctx.fillRect(left, y, Math.max(0, (W * norms[i]) / max), row - (row > 5 ? 2 : 1));
      if (row >= 9) text(c, String(i), left - 4, y + row / 2, { align: 'right', baseline: 'middle', size: 10 });
      if (row >= 11) text(c, fmt(norms[i], 2), left + (W * norms[i]) / max + 3, y + row / 2, { baseline: 'middle', size: 10, color: '#888' });
    }
    // Legend: the colour scale.
    const ly = 16 + n * row + 14;
    for (let i = 0; i <= 20; i++) {
      c.ctx.fillStyle = interferenceColor(i / 20);
      c.ctx.fillRect(left + (i * 60) / 21, ly, 60 / 21 + 0.5, 7);
    }
    text(c, 'superposition 0 → 1', left + 66, ly + 7, { size: 10 });
  }
}
