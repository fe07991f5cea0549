// views/neurons.js: the paper's neuron stack plot (§7–8) for models with a privileged hidden
// basis (relu-hidden, abs): one column per hidden neuron, the weights W[j, i] of the features it
// reads stacked up (positive) and down (negative), coloured by feature. One colour per column is
// a monosemantic neuron; many colours, a polysemantic one.
// Dumb view: constructor(parent), update({W, n, m}), draw(ctx, w, h, data), reset(). W row-major (m, n).
import { CanvasView, featureColor, text } from './canvas.js';

export class NeuronStackView extends CanvasView {
  constructor(parent, { width = 300, height = 200 } = {}) {
    super(parent, width, height, 'neuron stack plot');
  }

  draw(ctx, w, h, { W, n, m }) {
    const left = 6;
    const top = 6;
    const Wd = w - left - 6;
    const H = h - top - 20;
    const weight = (j, i) => { const v = W[j * n + i]; return Number.isFinite(v) ? v : 0; };
    let up = 0.5;
    let down = 0.5;
    for (let j = 0; j < m; j++) {
      let u = 0;
      let d = 0;
      for (let i = 0; i < n; i++) { const v = weight(j, i); if (v > 0) u += v; else d -= v; }
      up = Math.max(up, Math.min(u, 1e300));
      down = Math.max(down, Math.min(d, 1e300));
    }
    const scale = H / (up + down);
    const y0 = top + up * scale;
    const bw = Wd / m;
    for (let j = 0; j < m; j++) {
      // Largest contributions first, so a neuron's main feature sits next to the axis.
      const order = [...Array(n).keys()].sort((a, b) => Math.abs(weight(j, b)) - Math.abs(weight(j, a)));
      let yu = y0;
      let yd = y0;
      for (const i of order) {
        const v = weight(j, i);
        const bh = Math.abs(v) * scale;
        if (bh < 0.3) continue;
        ctx.fillStyle = featureColor(i, n);
        if (v > 0) { ctx.fillRect(left + j * bw + bw * 0.12, yu - bh, bw * 0.76, bh); yu -= bh; }
        else { ctx.fillRect(left + j * bw + bw * 0.12, yd, bw * 0.76, bh); yd += bh; }
        if (bh > 1.5) { ctx.strokeStyle = '#fff'; ctx.lineWidth = 0.5; ctx.strokeRect(left + j * bw + bw * 0.12, v > 0 ? yu : yd - bh, bw * 0.76, bh); }
      }
    }
    ctx.strokeStyle = '#888';
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(left, y0 + 0.5); ctx.lineTo(left + Wd, y0 + 0.5); ctx.stroke();
    if (m <= 40) for (let j = 0; j < m; j++) text(ctx, String(j), left + (j + 0.5) * bw, h - 5, { align: 'center', size: 10 });
    text(ctx, 'neurons →', w - 4, 12, { align: 'right', size: 10, color: '#999' });
    return null;
  }
}
