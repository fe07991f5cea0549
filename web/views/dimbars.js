// views/dimbars.js: each feature's dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i·W_j)² as a bar, with
// the "sticky" fractions marked (1, 3/4, 2/3, 1/2, 2/5: paper §5). A feature with its own
// dimension has D_i = 1; each of a pentagon's five has 2/5; an unlearned feature has 0.
// Dumb view: constructor(parent), update({D, n}), draw(ctx, w, h, data), reset().
import { CanvasView, featureColor, STICKY_TICKS, hover, fmt } from './canvas.js';
import { drawChart, linearScale } from './axis.js';

export class DimBarsView extends CanvasView {
  constructor(parent, { width = 260, height = 150 } = {}) {
    super(parent, width, height, 'bars of per-feature dimensionality');
    hover(this.c, (x) => {
      if (!this.data || !this.hits) return '';
      const { D, n } = this.data;
      const i = Math.floor(((x - this.hits.left) / this.hits.width) * n);
      return i >= 0 && i < n ? `feature ${i}: D_${i} = ${fmt(D[i])}` : '';
    });
  }

  draw(ctx, w, h, { D, n }) {
    const every = Math.max(1, Math.ceil(n / 12));
    const xTicks = [];
    for (let i = 0; i < n; i += every) xTicks.push({ v: i + 0.5, label: String(i) });
    const f = drawChart(ctx, w, h, { x: linearScale(0, Math.max(1, n)), y: linearScale(0, 1.1), xTicks,
      yTicks: STICKY_TICKS, xTitle: 'feature i', yTitle: 'D_i', grid: false });
    const bw = f.width / n;
    for (let i = 0; i < n; i++) {
      ctx.fillStyle = featureColor(i, n);
      const v = Number.isFinite(D[i]) ? Math.max(0, Math.min(D[i], 1.1)) : 0;
      ctx.fillRect(f.left + i * bw + bw * 0.1, f.Y(v), Math.max(1, bw * 0.8), f.Y(0) - f.Y(v));
    }
    return { left: f.left, width: f.width };
  }
}
