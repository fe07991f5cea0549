// views/arrows.js: the geometry of a model with m = 2 (or 1) hidden dimensions: each feature's
// column W_i drawn as an arrow from the origin, coloured by importance (yellow = most important).
// Digons (antipodal pairs), triangles and pentagons appear as training goes (paper Figure 1, §4).
// Dumb view: constructor(parent, {size, small}), update({W, n, m}), draw(ctx, w, h, data), reset().
// W row-major (m, n).
import { CanvasView, featureColor, text, hover, fmt } from './canvas.js';

export class ArrowsView extends CanvasView {
  constructor(parent, { size = 220, small = false } = {}) {
    super(parent, size, size, 'feature directions as arrows', small ? '' : 'waiting for the first frame…');
    this.small = small;
    if (!small) {
      hover(this.c, (x, y) => {
        let best = '';
        let bd = 15 * 15;
        for (const [px, py, s] of this.hits || []) {
          const d = (px - x) ** 2 + (py - y) ** 2;
          if (d < bd) { bd = d; best = s; }
        }
        return best;
      });
    }
  }

  /** Draws the arrows; returns [x, y, text] of each arrow head, for the hover readout. */
  draw(ctx, w, h, { W, n, m }) {
    if (m > 2) {
      text(ctx, `m = ${m}: arrows need m ≤ 2`, w / 2, h / 2, { align: 'center', size: this.small ? 9 : 11 });
      return [];
    }
    const cx = w / 2;
    const cy = h / 2;
    let maxNorm = 1;
    for (let i = 0; i < n; i++) {
      const x = W[i];
      const y = m === 2 ? W[n + i] : 0;
      const r = Math.hypot(x, y);
      if (r > maxNorm && r < Infinity) maxNorm = r;  // NaN and ∞ (also from 1e308² overflowing) never set the scale
    }
    const R = (Math.min(w, h) / 2 - (this.small ? 4 : 14)) / maxNorm;
    // Guides: the unit circle and the axes.
    ctx.strokeStyle = '#e3e3e3';
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (m === 2) ctx.arc(cx, cy, R, 0, 2 * Math.PI);
    ctx.moveTo(cx - R * maxNorm, cy); ctx.lineTo(cx + R * maxNorm, cy);
    if (m === 2) { ctx.moveTo(cx, cy - R * maxNorm); ctx.lineTo(cx, cy + R * maxNorm); }
    ctx.stroke();
    // Least important first, so the important ones are drawn on top.
    const tips = [];
    for (let i = n - 1; i >= 0; i--) {
      const x = W[i];
      const y = m === 2 ? W[n + i] : 0;
      if (!(Math.hypot(x, y) < Infinity)) continue;  // NaN, ±∞ or an overflowing norm: no arrow
      const off = m === 1 ? (i - (n - 1) / 2) * (this.small ? 3 : 6) : 0;
      const px = cx + R * x;
      const py = cy - R * y + off;
      const col = featureColor(i, n);
      const ang = m === 2 ? ` at ${fmt((Math.atan2(y, x) * 180) / Math.PI, 3)}°` : '';
      tips.push([px, py, `feature ${i}: ‖W_${i}‖ = ${fmt(Math.hypot(x, y))}${ang}`]);
      ctx.strokeStyle = col;
      ctx.fillStyle = col;
      ctx.lineWidth = this.small ? 1.5 : 2.5;
      ctx.beginPath();
      ctx.moveTo(cx, cy + off);
      ctx.lineTo(px, py);
      ctx.stroke();
      const len = Math.hypot(px - cx, py - cy - off);
      if (len > 2) {
        const ux = (px - cx) / len;
        const uy = (py - cy - off) / len;
        const a = this.small ? 4 : 8;
        ctx.beginPath();
        ctx.moveTo(px, py);
        ctx.lineTo(px - a * ux - (a / 2) * uy, py - a * uy + (a / 2) * ux);
        ctx.lineTo(px - a * ux + (a / 2) * uy, py - a * uy - (a / 2) * ux);
        ctx.closePath();
        ctx.fill();
      }
      if (!this.small && len > 12 && n <= 12) {
        text(ctx, String(i), px + 10 * (px - cx) / len, py + 10 * (py - cy - off) / len,
          { align: 'center', baseline: 'middle', size: 10, color: '#333' });
      }
    }
    return tips;
  }
}
