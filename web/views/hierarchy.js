// views/hierarchy.js: absorption made visible (issue 17). For one parent feature and its
// children, the held-out samples in which any of them fires are the rows; the columns are first
// the true features (parent, then children: their coefficients) and then the latents matched to
// them (their activations), each block with its own scale. A parent present in a row while its
// latent stays blank and a child's latent lights up instead is absorption (Chanin et al. 2024,
// "A is for Absorption"; SAEBench).
// Dumb view: constructor(parent, {width, height}), update({values, rows, cols, labels, split}),
// draw(ctx, w, h, data), reset().
//   values: (rows, cols) row-major, ≥ 0; labels: (cols) column names ("parent 12", "latent 40");
//   split: the first latent column (columns before it are true features).
import { CanvasView, text, hover, fmt } from './canvas.js';

const TRUTH = [25, 113, 194];   // blue: a true feature's coefficient
const LATENT = [230, 119, 0];   // orange: a latent's activation
const HEAD = 64;                 // room for the rotated column labels

function shade(rgb, t) {
  const a = Math.max(0, Math.min(1, t));
  const c = rgb.map((v) => Math.round(255 + (v - 255) * a));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export class HierarchyView extends CanvasView {
  constructor(parent, { width = 420, height = 300 } = {}) {
    super(parent, width, height, 'which latents fire when a parent feature and its children fire',
      'the hierarchy view appears with hierarchical data');
    this.geometry = null;
    hover(this.c, (x, y) => {
      const g = this.geometry;
      if (!g || !this.data) return '';
      const { values, rows, cols, labels } = this.data;
      const c = Math.floor((x - g.x0) / g.cw), r = Math.floor((y - g.y0) / g.rh);
      if (c < 0 || c >= cols || r < 0 || r >= rows) return '';
      return `sample ${r}, ${labels[c]}: ${fmt(values[r * cols + c])}`;
    });
  }

  draw(ctx, w, h, { values, rows, cols, labels, split }) {
    const x0 = 4, y0 = HEAD, gap = 8;
    const cw = Math.max(4, Math.floor((w - x0 - gap - 4) / Math.max(1, cols)));
    const rh = Math.max(1, Math.min(6, (h - y0 - 4) / Math.max(1, rows)));
    this.geometry = { x0, y0, cw, rh };
    if (!rows) {
      text(ctx, 'none of these features fires in the held-out samples', x0, y0 + 12, { color: '#666' });
      return null;
    }
    // One scale per block: the largest true coefficient, the largest latent activation.
    let maxT = 0, maxL = 0;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        if (!(v < Infinity)) continue;
        if (c < split) maxT = Math.max(maxT, v); else maxL = Math.max(maxL, v);
      }
    const colX = (c) => x0 + c * cw + (c >= split ? gap : 0);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        if (!(v > 0)) continue;
        ctx.fillStyle = c < split ? shade(TRUTH, v / (maxT || 1)) : shade(LATENT, v / (maxL || 1));
        ctx.fillRect(colX(c), y0 + r * rh, cw - 1, Math.max(rh, 1));
      }
    ctx.strokeStyle = '#bbb';
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, y0 + 0.5, split * cw - 1, rows * rh);
    ctx.strokeRect(colX(split) + 0.5, y0 + 0.5, (cols - split) * cw - 1, rows * rh);
    // Column labels, rotated; the blocks' titles above.
    text(ctx, 'true features', x0, 10, { bold: true, size: 10, color: `rgb(${TRUTH.join(',')})` });
    text(ctx, 'their latents', colX(split), 10, { bold: true, size: 10, color: `rgb(${LATENT.join(',')})` });
    for (let c = 0; c < cols; c++) {
      ctx.save();
      ctx.translate(colX(c) + cw / 2 + 3, y0 - 3);
      ctx.rotate(-Math.PI / 3);
      text(ctx, labels[c], 0, 0, { size: 9 });
      ctx.restore();
    }
    return null;
  }
}
