// views/neurons.js: the paper's neuron stack plot (§7–8) for models with a privileged hidden
// basis (relu-hidden, abs): one column per hidden neuron, the weights W[j, i] of the features it
// reads stacked up (positive) and down (negative), coloured by feature. One colour per column is
// a monosemantic neuron; many colours, a polysemantic one.
// Dumb view: constructor(parent), update({W, n, m}), reset(). W row-major (m, n).
import { makeCanvas, clear, featureColor, text } from './canvas.js';

export class NeuronStackView {
  constructor(parent, { width = 300, height = 200 } = {}) {
    this.c = makeCanvas(parent, width, height, 'neuron stack plot');
    this.reset();
  }

  reset() {
    clear(this.c);
    text(this.c, 'waiting for the first frame…', 4, 14);
  }

  update({ W, n, m }) {
    const c = this.c;
    const ctx = c.ctx;
    clear(c);
    const left = 6;
    const top = 6;
    const Wd = c.w - left - 6;
    const H = c.h - top - 20;
    let up = 0.5;
    let down = 0.5;
    for (let j = 0; j < m; j++) {
      let u = 0;
      let d = 0;
      for (let i = 0; i < n; i++) { const w = W[j * n + i]; if (w > 0) u += w; else d -= w; }
      up = Math.max(up, u);
      down = Math.max(down, d);
    }
    const scale = H / (up + down);
    const y0 = top + up * scale;
    const bw = Wd / m;
    for (let j = 0; j < m; j++) {
      // Largest contributions first, so a neuron's main feature sits next to the axis.
      const order = [...Array(n).keys()].sort((a, b) => Math.abs(W[j * n + b]) - Math.abs(W[j * n + a]));
      let yu = y0;
      let yd = y0;
      for (const i of order) {
        const w = W[j * n + i];
        const h = Math.abs(w) * scale;
        if (h < 0.3) continue;
        ctx.fillStyle = featureColor(i, n);
        if (w > 0) { ctx.fillRect(left + j * bw + bw * 0.12, yu - h, bw * 0.76, h); yu -= h; }
        else { ctx.fillRect(left + j * bw + bw * 0.12, yd, bw * 0.76, h); yd += h; }
        if (h > 1.5) { ctx.strokeStyle = '#fff'; ctx.lineWidth = 0.5; ctx.strokeRect(left + j * bw + bw * 0.12, w > 0 ? yu : yd - h, bw * 0.76, h); }
      }
    }
    ctx.strokeStyle = '#888';
    ctx.beginPath(); ctx.moveTo(left, y0 + 0.5); ctx.lineTo(left + Wd, y0 + 0.5); ctx.stroke();
    if (m <= 40) for (let j = 0; j < m; j++) text(c, String(j), left + (j + 0.5) * bw, c.h - 5, { align: 'center', size: 10 });
    text(c, 'neurons →', c.w - 4, 12, { align: 'right', size: 10, color: '#999' });
  }
}
